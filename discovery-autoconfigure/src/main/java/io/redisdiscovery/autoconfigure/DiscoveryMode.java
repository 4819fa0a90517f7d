package io.redisdiscovery.autoconfigure;

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
	LOAD_BALANCER

}
