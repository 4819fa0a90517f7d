package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The A and AAAA addresses of a hostname, in the order the DNS server gave them, and the smallest TTL among them.
 *
 * @param addresses the addresses, never empty
 * @param ttl the smallest record TTL
 * @since 0.1.0
 */
public record DnsAnswer(List<InetAddress> addresses, Duration ttl) {

	public DnsAnswer {
		addresses = List.copyOf(addresses);
	}

}
