package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/**
 * A lab cluster whose every node the application reaches through a TCP proxy of its own (mapped with
 * {@code redis.discovery.cluster.address-map}), so that a test can cut, refuse or black-hole one node.
 *
 * @param cluster the cluster
 * @param proxies the proxy in front of each node
 */
record ProxiedCluster(RedisClusterLab cluster, Map<RedisServer, TcpProxy> proxies) {

	/**
	 * Starts a cluster of three masters without replicas, and a proxy per node.
	 * @param lab the lab
	 * @return the cluster and its proxies
	 */
	static ProxiedCluster start(RedisLab lab) {
		return start(lab, 0);
	}

	/**
	 * Starts a cluster of three masters with {@code replicasPerMaster} replicas each, and a proxy per node.
	 * @param lab the lab
	 * @param replicasPerMaster how many replicas each master has
	 * @return the cluster and its proxies
	 */
	static ProxiedCluster start(RedisLab lab, int replicasPerMaster) {
		RedisClusterLab cluster = lab.startCluster(3, replicasPerMaster);
		Map<RedisServer, TcpProxy> proxies = new LinkedHashMap<>();
		for (RedisServer node : cluster.nodes()) {
			// Another loopback address than the nodes': a connection's remote address then differs from the node's in
			// its IP, not only in its port.
			proxies.put(node, lab.startProxy("127.0.0.2", new InetSocketAddress(node.host(), node.port())));
		}
		return new ProxiedCluster(cluster, proxies);
	}

	/**
	 * The starter in cluster mode, every node mapped to its proxy.
	 * @param properties more properties
	 * @return the runner
	 */
	ApplicationContextRunner starter(String... properties) {
		Map<String, Object> addressMap = new LinkedHashMap<>();
		this.proxies.forEach((node, proxy) -> addressMap.put(
				"redis.discovery.cluster.address-map.[" + this.cluster.announcedHostAndPort(node) + "]",
				proxy.hostAndPort()));
		return DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", this.cluster.seedAddresses()))
			.withPropertyValues(properties)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("address-map", addressMap)));
	}

	/**
	 * A key whose slot {@code master} serves.
	 * @param master a master of the cluster
	 * @param prefix the key's prefix
	 * @return the key
	 */
	String keyServedBy(RedisServer master, String prefix) {
		for (int i = 0;; i++) {
			String key = prefix + i;
			if (this.cluster.masterForSlot(RedisClusterLab.slotFor(key)).equals(master)) {
				return key;
			}
		}
	}

}
