package io.redisdiscovery.dns;

import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChange;
import io.redisdiscovery.topology.TopologyEndpoint;

/**
 * Moves the connections (with a {@link DrainingLettuceConnectionFactory}: drains the shared ones) when a connection
 * is found on an address that is no longer in the DNS answer.
 */
final class StrandedConnectionMover implements Consumer<TopologyChange> {

	private final ConnectionMover connections;

	StrandedConnectionMover(ConnectionMover connections) {
		this.connections = connections;
	}

	@Override
	public void accept(TopologyChange change) {
		Set<RedisNode> strandedBefore = stranded(change.before());
		// Only newly stranded addresses: the connection being drained stays stranded until it closes.
		if (!strandedBefore.containsAll(stranded(change.after()))) {
			this.connections.moveConnections();
		}
	}

	private static Set<RedisNode> stranded(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.inUse() && isOutsideAnswer(endpoint))
			.map(TopologyEndpoint::node)
			.collect(Collectors.toSet());
	}

	private static boolean isOutsideAnswer(TopologyEndpoint endpoint) {
		return Boolean.FALSE.equals(endpoint.details().get(DnsTopologySource.IN_DNS_ANSWER));
	}

}
