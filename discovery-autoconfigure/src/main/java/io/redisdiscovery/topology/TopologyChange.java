package io.redisdiscovery.topology;

import java.time.Instant;

/**
 * A change of the discovered topology.
 *
 * @param before the view before
 * @param after the view after
 * @param reason why it changed, for example {@code +switch-master} or {@code READONLY reply}
 * @param at when the change was seen
 * @since 0.1.0
 */
public record TopologyChange(RedisTopology before, RedisTopology after, String reason, Instant at) {

}
