/**
 * Tests of cluster mode.
 */
@NullMarked
package io.redisdiscovery.cluster;

import org.jspecify.annotations.NullMarked;
