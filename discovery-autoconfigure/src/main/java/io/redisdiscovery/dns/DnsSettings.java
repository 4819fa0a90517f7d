package io.redisdiscovery.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What {@link DnsTopologySource} resolves and how often.
 *
 * @param hostname the database hostname
 * @param port the TCP port every resolved address listens on
 * @param nameservers the DNS servers to ask, or empty for the system resolver configuration
 * @param refreshInterval longest time between two lookups
 * @param minTtl lower bound on a record TTL
 * @param maxTtl upper bound on a record TTL
 * @param selection how new connections pick an address
 * @param coolDown how long an address whose connection attempt failed is avoided
 * @param queryTimeout bound on one DNS query
 * @param failFast whether {@link DnsTopologySource#start()} fails when the hostname does not resolve
 * @since 0.1.0
 */
public record DnsSettings(String hostname, int port, List<InetSocketAddress> nameservers, Duration refreshInterval,
		Duration minTtl, Duration maxTtl, AddressSelection selection, Duration coolDown, Duration queryTimeout,
		boolean failFast) {

	public DnsSettings {
		nameservers = List.copyOf(nameservers);
	}

	/**
	 * When to look again after an answer with the given TTL: the TTL clamped to [min-ttl, max-ttl], and never
	 * later than the refresh interval.
	 * @param ttl the smallest TTL of the answer's records
	 * @return the delay before the next lookup
	 */
	public Duration nextLookupAfter(Duration ttl) {
		Duration clamped = (ttl.compareTo(this.minTtl) < 0) ? this.minTtl
				: (ttl.compareTo(this.maxTtl) > 0) ? this.maxTtl : ttl;
		return (clamped.compareTo(this.refreshInterval) < 0) ? clamped : this.refreshInterval;
	}

}
