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
	 * Sentinels (or a Sentinel-compatible discovery service) name the master; failovers are followed as soon as a
	 * Sentinel announces them.
	 */
	SENTINEL,

	/**
	 * One address in front of many proxies; a failed connection is replaced by a new one that the balancer
	 * sends elsewhere.
	 */
	LOAD_BALANCER

}
