package io.redisdiscovery.autoconfigure;

import java.util.Map;

import io.lettuce.core.ReadFrom;

/**
 * Checks {@code redis.discovery.cluster.*} at startup, naming the exact property that is wrong.
 */
final class ClusterPropertiesValidator {

	private static final String PREFIX = "redis.discovery.cluster.";

	private ClusterPropertiesValidator() {
	}

	static void validate(RedisDiscoveryProperties properties) {
		ClusterProperties cluster = properties.getCluster();
		if (properties.getDatabase() != 0) {
			throw new InvalidDiscoveryPropertyException("redis.discovery.database",
					"it is " + properties.getDatabase() + " but a Redis Cluster has only database 0",
					"remove redis.discovery.database or set it to 0");
		}
		if (cluster.getNodes().isEmpty()) {
			fail("nodes", "no seed node is configured",
					"list at least one cluster node as host:port, for example redis.discovery.cluster.nodes=redis-1:6379,redis-2:6379");
		}
		for (int i = 0; i < cluster.getNodes().size(); i++) {
			hostAndPort("nodes[" + i + "]", cluster.getNodes().get(i));
		}
		if (cluster.getMaxRedirects() < 1) {
			fail("max-redirects", "it is " + cluster.getMaxRedirects(),
					"use 1 or more so that MOVED and ASK redirections are followed, for example 5");
		}
		try {
			ReadFrom.valueOf(cluster.getReadFrom().trim());
		}
		catch (IllegalArgumentException ex) {
			fail("read-from", "'" + cluster.getReadFrom() + "' is not a read setting (" + ex.getMessage() + ")",
					"use upstream, upstreamPreferred, replica, replicaPreferred, lowestLatency, any, anyReplica or regex:<pattern>");
		}
		for (Map.Entry<String, String> entry : cluster.getAddressMap().entrySet()) {
			String property = "address-map.[" + entry.getKey() + "]";
			hostAndPort(property, entry.getKey());
			hostAndPort(property, entry.getValue());
		}
		ClusterProperties.Refresh refresh = cluster.getRefresh();
		if (refresh.getPeriod().isNegative()) {
			fail("refresh.period", "it is " + refresh.getPeriod() + ", a negative duration",
					"use a positive duration such as 30s, or 0 to turn the periodic refresh off");
		}
		PropertyChecks.positive(PREFIX + "refresh.min-interval", refresh.getMinInterval());
		if (refresh.getMaxSources() < 1) {
			fail("refresh.max-sources", "it is " + refresh.getMaxSources(),
					"use 1 or more; 3 keeps a refresh correct when a node answers with a stale view");
		}
	}

	private static void hostAndPort(String property, String value) {
		try {
			io.redisdiscovery.topology.RedisNode.parse(value);
		}
		catch (IllegalArgumentException ex) {
			fail(property, ex.getMessage(), "write host:port, or [ipv6]:port; in a map key keep the brackets around "
					+ "the key, for example address-map.[10.0.0.5:6379]=redis-5.example.com:16379");
		}
	}

	private static void fail(String property, String problem, String fix) {
		throw new InvalidDiscoveryPropertyException(PREFIX + property, problem, fix);
	}

}
