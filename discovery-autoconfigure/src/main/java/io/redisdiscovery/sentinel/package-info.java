/**
 * Sentinel mode: finds the master through Sentinels and follows every failover they announce.
 */
@NullMarked
package io.redisdiscovery.sentinel;

import org.jspecify.annotations.NullMarked;
