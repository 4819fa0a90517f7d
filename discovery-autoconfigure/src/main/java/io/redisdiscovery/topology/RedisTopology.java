package io.redisdiscovery.topology;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the client knows about the Redis deployment at one moment.
 *
 * @param mode the discovery mode
 * @param endpoints the data endpoints (masters, replicas, proxies)
 * @param details mode-specific facts (Sentinel group, cluster state, DNS TTL ...), never secrets
 * @param discoveredAt when this view was last confirmed, or {@code null} before the first discovery
 * @param stale whether the source could not confirm it lately and serves the last known view
 * @since 0.1.0
 */
public record RedisTopology(DiscoveryMode mode, List<TopologyEndpoint> endpoints, Map<String, Object> details,
		@Nullable Instant discoveredAt, boolean stale) {

	public RedisTopology {
		endpoints = List.copyOf(endpoints);
		details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	/**
	 * Whether at least one endpoint accepts writes.
	 * @return {@code true} when a reachable master is known
	 */
	public boolean hasWritableEndpoint() {
		return this.endpoints.stream().anyMatch(TopologyEndpoint::isWritable);
	}

	/**
	 * Whether this view differs from another in a way users care about: endpoints, roles, reachability or
	 * use (details and times are ignored).
	 * @param other the other view
	 * @return {@code true} when the endpoints differ
	 */
	public boolean endpointsDifferFrom(RedisTopology other) {
		return !this.endpoints.stream()
			.map(RedisTopology::summary)
			.toList()
			.equals(other.endpoints.stream().map(RedisTopology::summary).toList());
	}

	private static String summary(TopologyEndpoint endpoint) {
		return endpoint.node() + "/" + endpoint.role() + "/" + endpoint.reachable() + "/" + endpoint.inUse();
	}

}
