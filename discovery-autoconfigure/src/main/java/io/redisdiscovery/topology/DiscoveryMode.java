package io.redisdiscovery.topology;

import java.util.Locale;

/**
 * How the application finds its Redis endpoint.
 *
 * @since 0.1.0
 */
public enum DiscoveryMode {

	/**
	 * One fixed host and port; on failure, reconnect to the same one.
	 */
	STANDALONE,

	/**
	 * One database hostname whose A/AAAA records list its proxies (Redis Enterprise); the records are watched and
	 * new connections spread across them.
	 */
	DNS,

	/**
	 * Sentinels (or a Sentinel-compatible discovery service) name the master; failovers are followed as soon as a
	 * Sentinel announces them.
	 */
	SENTINEL,

	/**
	 * A Redis Cluster, or a Redis Enterprise database with the OSS Cluster API: the slot map is discovered from
	 * seed nodes and followed through redirects, failovers and resharding.
	 */
	CLUSTER,

	/**
	 * One address in front of many proxies; a failed connection is replaced by a new one that the balancer
	 * sends elsewhere.
	 */
	LOAD_BALANCER;

	/**
	 * The mode as written in {@code redis.discovery.mode}, which is also the name of its properties group.
	 * @return the kebab-case name, for example {@code load-balancer}
	 */
	public String propertyValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
