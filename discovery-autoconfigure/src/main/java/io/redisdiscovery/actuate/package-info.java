/**
 * The {@code redis-topology} Actuator endpoint.
 */
@NullMarked
package io.redisdiscovery.actuate;

import org.jspecify.annotations.NullMarked;
