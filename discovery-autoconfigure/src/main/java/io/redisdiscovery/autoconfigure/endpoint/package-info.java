/**
 * Auto-configuration of the redis-topology endpoint.
 */
@NullMarked
package io.redisdiscovery.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
