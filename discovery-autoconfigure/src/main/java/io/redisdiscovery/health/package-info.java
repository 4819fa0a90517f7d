/**
 * Health of the discovered Redis topology.
 */
@NullMarked
package io.redisdiscovery.health;

import org.jspecify.annotations.NullMarked;
