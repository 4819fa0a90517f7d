/**
 * The model of a discovered Redis topology.
 */
@NullMarked
package io.redisdiscovery.topology;

import org.jspecify.annotations.NullMarked;
