package io.redisdiscovery.topology;

import java.util.Map;

/**
 * One node of a topology as the client sees it.
 *
 * @param node its address
 * @param role the role it reported, or {@link NodeRole#UNKNOWN}
 * @param reachable whether the last probe reached it
 * @param inUse whether application traffic is sent to it now
 * @param details mode-specific facts (slot ranges, link state, TTL ...), never secrets
 * @since 0.1.0
 */
public record TopologyEndpoint(RedisNode node, NodeRole role, boolean reachable, boolean inUse,
		Map<String, Object> details) {

	public TopologyEndpoint {
		details = Map.copyOf(details);
	}

	/**
	 * An endpoint without details.
	 * @param node its address
	 * @param role its role
	 * @param reachable whether it was reached
	 * @param inUse whether traffic goes to it
	 * @return the endpoint
	 */
	public static TopologyEndpoint of(RedisNode node, NodeRole role, boolean reachable, boolean inUse) {
		return new TopologyEndpoint(node, role, reachable, inUse, Map.of());
	}

	/**
	 * Whether application writes can go to this endpoint now.
	 * @return {@code true} for a reachable master
	 */
	public boolean isWritable() {
		return this.reachable && this.role == NodeRole.MASTER;
	}

}
