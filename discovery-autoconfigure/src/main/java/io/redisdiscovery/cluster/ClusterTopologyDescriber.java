package io.redisdiscovery.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * Turns a cluster node table into a {@link RedisTopology}: one endpoint per node with its slots, flags, link state
 * and config epoch, and cluster-wide facts in the details.
 */
final class ClusterTopologyDescriber {

	static final DiscoveryMode MODE = DiscoveryMode.CLUSTER;

	private static final Set<String> SERVER_INFO_FIELDS = Set.of("cluster_state", "cluster_slots_assigned",
			"cluster_slots_ok", "cluster_slots_pfail", "cluster_slots_fail", "cluster_known_nodes", "cluster_size",
			"cluster_current_epoch");

	private ClusterTopologyDescriber() {
	}

	/**
	 * Describes a node table.
	 * @param nodes the nodes
	 * @param inUse whether the application's client routes to a node
	 * @param serverInfo the {@code CLUSTER INFO} fields of the node that gave the table, or {@code null} when the
	 * table is the client's own routing view
	 * @param viewer who gave the table
	 * @param at when
	 * @return the topology
	 */
	static RedisTopology describe(Iterable<RedisClusterNode> nodes, Predicate<RedisClusterNode> inUse,
			@Nullable Map<String, String> serverInfo, String viewer, Instant at) {
		List<RedisClusterNode> sorted = new ArrayList<>();
		nodes.forEach(sorted::add);
		sorted.sort(Comparator.comparing((RedisClusterNode node) -> !node.is(NodeFlag.UPSTREAM))
			.thenComparingInt((node) -> node.hasNoSlots() ? SlotHash.SLOT_COUNT : node.getSlots().get(0))
			.thenComparing((node) -> String.valueOf(node.getUri())));
		List<TopologyEndpoint> endpoints = new ArrayList<>();
		BitSet assigned = new BitSet(SlotHash.SLOT_COUNT);
		BitSet ok = new BitSet(SlotHash.SLOT_COUNT);
		BitSet failing = new BitSet(SlotHash.SLOT_COUNT);
		int masters = 0;
		int replicas = 0;
		for (RedisClusterNode node : sorted) {
			RedisURI uri = node.getUri();
			if (uri == null) {
				continue;
			}
			boolean master = node.is(NodeFlag.UPSTREAM);
			boolean reachable = isHealthy(node);
			if (master) {
				masters++;
				node.forEachSlot((slot) -> {
					assigned.set(slot);
					(reachable ? ok : failing).set(slot);
				});
			}
			else {
				replicas++;
			}
			endpoints.add(new TopologyEndpoint(new RedisNode(uri.getHost(), uri.getPort()),
					master ? NodeRole.MASTER : (node.is(NodeFlag.REPLICA) ? NodeRole.REPLICA : NodeRole.UNKNOWN),
					reachable, inUse.test(node), endpointDetails(node)));
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("view", viewer);
		if (serverInfo != null) {
			serverInfo.forEach((key, value) -> {
				if (SERVER_INFO_FIELDS.contains(key)) {
					// Numbers stay numbers, as in the client's own view.
					details.put(key, value.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(value) : value);
				}
			});
		}
		else {
			details.put("cluster_state", (ok.cardinality() == SlotHash.SLOT_COUNT) ? "ok" : "fail");
			details.put("cluster_slots_assigned", assigned.cardinality());
			details.put("cluster_slots_ok", ok.cardinality());
			details.put("cluster_slots_fail", failing.cardinality());
		}
		details.put("masters", masters);
		details.put("replicas", replicas);
		return new RedisTopology(MODE, endpoints, details, at, false);
	}

	static boolean isHealthy(RedisClusterNode node) {
		return node.isConnected() && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL)
				&& !node.is(NodeFlag.NOADDR);
	}

	private static Map<String, Object> endpointDetails(RedisClusterNode node) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("node_id", node.getNodeId());
		if (node.getSlaveOf() != null) {
			details.put("master_id", node.getSlaveOf());
		}
		details.put("slots", slotRanges(node));
		details.put("flags", node.getFlags()
			.stream()
			.filter((flag) -> flag != NodeFlag.MYSELF && flag != NodeFlag.NOFLAGS)
			.map(ClusterTopologyDescriber::flagName)
			.distinct()
			.sorted()
			.toList());
		details.put("link_state", node.isConnected() ? "connected" : "disconnected");
		details.put("config_epoch", node.getConfigEpoch());
		return details;
	}

	/** The flag as CLUSTER NODES writes it. */
	private static String flagName(NodeFlag flag) {
		return switch (flag) {
			case UPSTREAM, MASTER -> "master";
			case REPLICA, SLAVE -> "slave";
			case EVENTUAL_FAIL -> "fail?";
			default -> flag.name().toLowerCase(Locale.ROOT);
		};
	}

	private static List<String> slotRanges(RedisClusterNode node) {
		List<String> ranges = new ArrayList<>();
		int[] start = { -1 };
		int[] previous = { -2 };
		node.forEachSlot((slot) -> {
			if (slot != previous[0] + 1) {
				addRange(ranges, start[0], previous[0]);
				start[0] = slot;
			}
			previous[0] = slot;
		});
		addRange(ranges, start[0], previous[0]);
		return ranges;
	}

	private static void addRange(List<String> ranges, int start, int end) {
		if (start >= 0) {
			ranges.add((start == end) ? String.valueOf(start) : start + "-" + end);
		}
	}

}
