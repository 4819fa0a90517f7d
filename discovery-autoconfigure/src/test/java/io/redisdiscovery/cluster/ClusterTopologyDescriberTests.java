package io.redisdiscovery.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster topology as the endpoint and health show it, from fake node tables ({@code CLUSTER NODES} text, as
 * Lettuce parses it): a healthy cluster, a master that failed, and the same cluster once its replica took over.
 */
class ClusterTopologyDescriberTests {

	private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

	private static final String HEALTHY = """
			a1 127.0.0.1:7001@17001 master - 0 0 1 connected 0-5460
			a2 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922
			a3 127.0.0.1:7003@17003 myself,master - 0 0 3 connected 10923-16383
			r1 127.0.0.1:7004@17004 slave a1 0 0 1 connected
			""";

	private static final String MASTER_FAILED = """
			a1 127.0.0.1:7001@17001 master,fail - 0 0 1 disconnected 0-5460
			a2 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922
			a3 127.0.0.1:7003@17003 myself,master - 0 0 3 connected 10923-16383
			r1 127.0.0.1:7004@17004 slave a1 0 0 1 connected
			""";

	private static final String REPLICA_PROMOTED = """
			a1 127.0.0.1:7001@17001 slave,fail r1 0 0 1 disconnected
			a2 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922
			a3 127.0.0.1:7003@17003 myself,master - 0 0 3 connected 10923-16383
			r1 127.0.0.1:7004@17004 master - 0 0 4 connected 0-5460
			""";

	@Test
	void aHealthyClusterShouldServeEverySlot() {
		RedisTopology topology = describe(HEALTHY);
		assertThat(topology.details()).containsEntry("cluster_state", "ok")
			.containsEntry("cluster_slots_ok", 16384)
			.containsEntry("cluster_slots_fail", 0)
			.containsEntry("masters", 3)
			.containsEntry("replicas", 1)
			.containsEntry("view", "client");
		assertThat(topology.endpoints()).extracting(TopologyEndpoint::role)
			.containsExactly(NodeRole.MASTER, NodeRole.MASTER, NodeRole.MASTER, NodeRole.REPLICA);
		assertThat(topology.endpoints()).allMatch(TopologyEndpoint::reachable);
	}

	@Test
	void aFailedMasterShouldFailItsSlotsUntilItsReplicaTakesOver() {
		RedisTopology failed = describe(MASTER_FAILED);
		assertThat(failed.details()).containsEntry("cluster_state", "fail")
			.containsEntry("cluster_slots_assigned", 16384)
			.containsEntry("cluster_slots_fail", 5461);
		assertThat(endpoint(failed, 7001).reachable()).isFalse();

		RedisTopology promoted = describe(REPLICA_PROMOTED);
		assertThat(promoted.details()).containsEntry("cluster_state", "ok").containsEntry("cluster_slots_fail", 0);
		assertThat(endpoint(promoted, 7004).role()).isEqualTo(NodeRole.MASTER);
		assertThat(endpoint(promoted, 7001).role()).isEqualTo(NodeRole.REPLICA);
		assertThat(endpoint(promoted, 7001).reachable()).isFalse();
	}

	@Test
	void aServersViewShouldReportItsOwnClusterInfoAndTheNodesTheClientRoutesTo() {
		List<RedisClusterNode> nodes = nodes(HEALTHY);
		RedisTopology topology = ClusterTopologyDescriber.describe(nodes,
				(node) -> !node.getNodeId().equals("r1"), Map.of("cluster_state", "ok", "cluster_known_nodes", "4",
						"cluster_stats_messages_sent", "12"),
				"127.0.0.1:7003", AT);
		assertThat(topology.details()).containsEntry("view", "127.0.0.1:7003")
			.containsEntry("cluster_state", "ok")
			.containsEntry("cluster_known_nodes", 4L)
			.doesNotContainKey("cluster_stats_messages_sent");
		assertThat(endpoint(topology, 7004).inUse()).isFalse();
		assertThat(endpoint(topology, 7001).inUse()).isTrue();
	}

	private static RedisTopology describe(String clusterNodes) {
		return ClusterTopologyDescriber.describe(nodes(clusterNodes), (node) -> true, null, "client", AT);
	}

	private static List<RedisClusterNode> nodes(String clusterNodes) {
		return ClusterPartitionParser.parse(clusterNodes).getPartitions();
	}

	private static TopologyEndpoint endpoint(RedisTopology topology, int port) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.node().port() == port)
			.findFirst()
			.orElseThrow();
	}

}
