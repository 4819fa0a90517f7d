/**
 * Stand-ins for Sentinel-compatible endpoints that are not real Sentinels.
 */
@NullMarked
package io.redisdiscovery.lab.sentinel;

import org.jspecify.annotations.NullMarked;
