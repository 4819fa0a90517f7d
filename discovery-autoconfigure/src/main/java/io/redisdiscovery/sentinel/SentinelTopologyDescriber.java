package io.redisdiscovery.sentinel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * Describes a Sentinel-managed group as a {@link RedisTopology}: the confirmed master, the replicas a Sentinel
 * lists, and details on the Sentinels and the failover.
 */
final class SentinelTopologyDescriber {

	private static final DiscoveryMode MODE = DiscoveryMode.SENTINEL;

	private final SentinelSettings settings;

	SentinelTopologyDescriber(SentinelSettings settings) {
		this.settings = settings;
	}

	/**
	 * The topology before the first discovery.
	 * @param settings the master's name
	 * @return a stale topology without endpoints
	 */
	static RedisTopology initial(SentinelSettings settings) {
		return new RedisTopology(MODE, List.of(), Map.of("master", settings.masterName()), null, true);
	}

	/**
	 * The topology after a master was confirmed.
	 * @param confirmed the master
	 * @param answer the Sentinel's answer that named it, with its replicas
	 * @param details the details
	 * @param at when it was confirmed
	 * @return a fresh topology
	 */
	RedisTopology confirmed(RedisNode confirmed, SentinelAnswer answer, Map<String, Object> details, Instant at) {
		return new RedisTopology(MODE, endpoints(confirmed, answer), details, at, false);
	}

	/**
	 * The topology after a discovery that confirmed no master: the last endpoints, marked stale.
	 * @param last the topology so far
	 * @param details the details
	 * @return a stale topology
	 */
	RedisTopology unconfirmed(RedisTopology last, Map<String, Object> details) {
		return new RedisTopology(MODE, last.endpoints(), details, last.discoveredAt(), true);
	}

	/**
	 * The topology after the subscriptions changed.
	 * @param last the topology so far
	 * @param subscribed the Sentinels subscribed to now
	 * @return the same topology with the new list
	 */
	RedisTopology subscribed(RedisTopology last, List<String> subscribed) {
		Map<String, Object> details = new LinkedHashMap<>(last.details());
		details.put("sentinelsSubscribed", subscribed);
		return new RedisTopology(MODE, last.endpoints(), details, last.discoveredAt(), last.stale());
	}

	private List<TopologyEndpoint> endpoints(RedisNode confirmed, SentinelAnswer answer) {
		List<TopologyEndpoint> endpoints = new ArrayList<>();
		endpoints.add(new TopologyEndpoint(confirmed, NodeRole.MASTER, true, true,
				Map.of("reportedBy", answer.sentinel().toString(), "roleConfirmed", true)));
		for (Map<String, String> replica : answer.replicas()) {
			RedisNode node = replicaNode(replica);
			if (node == null || node.equals(confirmed)) {
				continue;
			}
			String flags = replica.getOrDefault("flags", "");
			String link = replica.getOrDefault("master-link-status", "unknown");
			boolean healthy = isHealthy(flags, link);
			endpoints.add(new TopologyEndpoint(node, NodeRole.REPLICA, healthy,
					healthy && this.settings.readsFromReplicas(), Map.of("flags", flags, "masterLinkStatus", link)));
		}
		return endpoints;
	}

	/**
	 * Whether Sentinel considers a replica usable: not subjectively or objectively down, not disconnected, and
	 * its replication link up.
	 */
	static boolean isHealthy(String flags, String masterLinkStatus) {
		for (String flag : flags.split(",")) {
			if (flag.equals("s_down") || flag.equals("o_down") || flag.equals("disconnected")) {
				return false;
			}
		}
		return masterLinkStatus.equalsIgnoreCase("ok");
	}

	private static @Nullable RedisNode replicaNode(Map<String, String> replica) {
		try {
			return new RedisNode(replica.getOrDefault("ip", ""), Integer.parseInt(replica.getOrDefault("port", "")));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The details of a topology.
	 * @param state the state after the discovery or switch
	 * @param answering the Sentinels that answered
	 * @param answeredBy the Sentinel whose answer was adopted, if any
	 * @param subscribed the Sentinels subscribed to
	 * @param failoverInProgress whether a failover is in progress
	 * @return the details, in a stable order
	 */
	Map<String, Object> details(SentinelState state, List<RedisNode> answering, @Nullable RedisNode answeredBy,
			List<String> subscribed, boolean failoverInProgress) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("master", this.settings.masterName());
		details.put("readFrom", this.settings.readsFromReplicas() ? "replicas" : "master");
		details.put("sentinelsConfigured", this.settings.sentinels().stream().map(RedisNode::toString).toList());
		details.put("sentinelsAnswering", answering.stream().map(RedisNode::toString).toList());
		details.put("sentinelsSubscribed", subscribed);
		if (answeredBy != null) {
			details.put("answeredBy", answeredBy.toString());
		}
		KnownMaster inUse = state.known();
		if (inUse != null && inUse.configEpoch() != null) {
			details.put("configEpoch", inUse.configEpoch());
		}
		Instant switched = state.lastSwitchMaster();
		if (switched != null) {
			details.put("lastSwitchMaster", switched.toString());
		}
		details.put("failoverInProgress", failoverInProgress);
		if (!state.lastProblems().isEmpty()) {
			details.put("problems", state.lastProblems());
		}
		return details;
	}

}
