package io.redisdiscovery.topology;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The topology of one fixed address: a standalone server, or a load balancer in front of proxies.
 *
 * @since 0.1.0
 */
public class FixedEndpointTopologySource extends AbstractTopologySource {

	private final DiscoveryMode mode;

	private final RedisNode node;

	private final NodeProbe probe;

	/**
	 * Creates a source.
	 * @param mode the mode name, for example {@code standalone}
	 * @param node the fixed address
	 * @param probe how to ask the node for its role
	 * @param clock the clock
	 */
	public FixedEndpointTopologySource(DiscoveryMode mode, RedisNode node, NodeProbe probe, Clock clock) {
		super(new RedisTopology(mode, List.of(TopologyEndpoint.of(node, NodeRole.UNKNOWN, false, true)), Map.of(),
				null, false), clock);
		this.mode = mode;
		this.node = node;
		this.probe = probe;
	}

	@Override
	public RedisTopology refresh(String reason) {
		TopologyEndpoint endpoint = this.probe.probe(this.node, true);
		return publish(new RedisTopology(this.mode, List.of(endpoint), Map.of(), clock().instant(), false), reason);
	}

	@Override
	public void close() {
		this.probe.close();
	}

}
