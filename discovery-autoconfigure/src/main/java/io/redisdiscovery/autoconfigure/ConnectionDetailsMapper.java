package io.redisdiscovery.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import io.redisdiscovery.topology.DiscoveryMode;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Cluster;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Sentinel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Standalone;

/**
 * Writes the endpoint of a Spring Boot {@link DataRedisConnectionDetails} (from {@code @ServiceConnection}, Docker
 * Compose, a cloud binding or {@code spring.data.redis.*}) into the matching {@code redis.discovery.*} settings.
 * SSL is left to the caller, because a details bean hands over a resolved bundle rather than a bundle name.
 */
final class ConnectionDetailsMapper {

	private ConnectionDetailsMapper() {
	}

	/**
	 * Sets the mode, the mode's section, the credentials and the database of {@code target} from the details.
	 * Checks the shapes in the order Spring Boot's own factory does: Sentinel, cluster, master/replica, standalone.
	 * @param details the connection details
	 * @param target the settings to write to, a copy the application does not see
	 * @param origin what the details come from, named in failures
	 * @return the mode the details describe
	 * @throws InvalidDiscoveryPropertyException when the details describe a static master/replica setup
	 */
	static DiscoveryMode apply(DataRedisConnectionDetails details, RedisDiscoveryProperties target, String origin) {
		target.setUsername(details.getUsername());
		target.setPassword(details.getPassword());
		DiscoveryMode mode;
		Sentinel sentinel = details.getSentinel();
		Cluster cluster = details.getCluster();
		Standalone standalone = details.getStandalone();
		if (sentinel != null) {
			sentinel(sentinel, target);
			mode = DiscoveryMode.SENTINEL;
		}
		else if (cluster != null) {
			cluster(cluster, target);
			mode = DiscoveryMode.CLUSTER;
		}
		else if (details.getMasterReplica() != null) {
			throw new InvalidDiscoveryPropertyException("redis.discovery.mode",
					origin + " describes a static master/replica setup, which the starter does not support",
					"point the application at the Sentinels that monitor these nodes (redis.discovery.sentinel.*), "
							+ "or at the master alone (redis.discovery.standalone.*)");
		}
		else if (standalone != null) {
			standalone(standalone, target);
			mode = DiscoveryMode.STANDALONE;
		}
		else {
			throw new InvalidDiscoveryPropertyException("redis.discovery.mode",
					origin + " describes no standalone, Sentinel or cluster endpoint",
					"set redis.discovery.mode and its section, for example redis.discovery.standalone.host");
		}
		target.setMode(mode);
		return mode;
	}

	/**
	 * Describes the endpoint of the mapped settings for a log line: addresses and names, never credentials.
	 * @param mode the mode
	 * @param settings the mapped settings
	 * @return the description
	 */
	static String describe(DiscoveryMode mode, RedisDiscoveryProperties settings) {
		String endpoint = switch (mode) {
			case SENTINEL -> "sentinel mode, master '" + settings.getSentinel().getMaster() + "' via "
					+ String.join(", ", settings.getSentinel().getNodes());
			case CLUSTER -> "cluster mode, seed nodes " + String.join(", ", settings.getCluster().getNodes());
			default -> "standalone mode, " + hostAndPort(settings.getStandalone().getHost(),
					settings.getStandalone().getPort()) + ", database " + settings.getDatabase();
		};
		return endpoint + ((settings.getPassword() != null) ? ", with a password" : "")
				+ (settings.getSsl().isEnabled() ? ", TLS" : "");
	}

	private static void sentinel(Sentinel sentinel, RedisDiscoveryProperties target) {
		SentinelProperties properties = target.getSentinel();
		properties.setMaster(sentinel.getMaster());
		properties.setNodes(nodes(sentinel.getNodes()));
		properties.setUsername(sentinel.getUsername());
		properties.setPassword(sentinel.getPassword());
		target.setDatabase(sentinel.getDatabase());
	}

	private static void cluster(Cluster cluster, RedisDiscoveryProperties target) {
		target.getCluster().setNodes(nodes(cluster.getNodes()));
	}

	private static void standalone(Standalone standalone, RedisDiscoveryProperties target) {
		target.getStandalone().setHost(standalone.getHost());
		target.getStandalone().setPort(standalone.getPort());
		target.setDatabase(standalone.getDatabase());
	}

	/**
	 * Nodes in the {@code host:port} form of {@code redis.discovery.*}, IPv6 in brackets, left for the validators
	 * to check like any configured value.
	 */
	private static List<String> nodes(List<Node> nodes) {
		return nodes.stream().map((node) -> hostAndPort(node.host(), node.port())).collect(Collectors.toList());
	}

	private static String hostAndPort(String host, int port) {
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

}
