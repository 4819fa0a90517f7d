package io.redisdiscovery.topology;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One endpoint of a topology, as shown by the {@code redis-topology} endpoint and the health indicator.
 *
 * @param address {@code host:port}
 * @param role {@code master}, {@code replica}, {@code sentinel} or {@code unknown}
 * @param reachable whether the last probe reached it
 * @param writable whether it accepts writes
 * @param inUse whether application traffic goes to it
 * @param details mode-specific facts
 * @since 0.1.0
 */
public record EndpointDescriptor(String address, String role, boolean reachable, boolean writable, boolean inUse,
		Map<String, Object> details) {

	/**
	 * Describes the endpoints of a topology.
	 * @param topology the topology
	 * @return one descriptor per endpoint
	 */
	public static List<EndpointDescriptor> of(RedisTopology topology) {
		return topology.endpoints().stream().map(EndpointDescriptor::of).toList();
	}

	static EndpointDescriptor of(TopologyEndpoint endpoint) {
		return new EndpointDescriptor(endpoint.node().toString(), endpoint.role().name().toLowerCase(Locale.ROOT),
				endpoint.reachable(), endpoint.isWritable(), endpoint.inUse(), endpoint.details());
	}

}
