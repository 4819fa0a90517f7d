package io.redisdiscovery.lab.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The A and AAAA addresses registered for one name, with the TTL to serve and a counter that rotates the answer order.
 */
final class DnsRecordSet {

	private final List<byte[]> ipv4;

	private final List<byte[]> ipv6;

	private final long ttlSeconds;

	private final AtomicInteger rotation = new AtomicInteger();

	DnsRecordSet(List<byte[]> ipv4, List<byte[]> ipv6, long ttlSeconds) {
		this.ipv4 = List.copyOf(ipv4);
		this.ipv6 = List.copyOf(ipv6);
		this.ttlSeconds = ttlSeconds;
	}

	long ttlSeconds() {
		return this.ttlSeconds;
	}

	/**
	 * The IPv4 addresses, rotated by one position per call, as Redis Enterprise's DNS does.
	 */
	List<byte[]> nextIpv4Answer() {
		return rotate(this.ipv4);
	}

	List<byte[]> nextIpv6Answer() {
		return rotate(this.ipv6);
	}

	private List<byte[]> rotate(List<byte[]> addresses) {
		if (addresses.isEmpty()) {
			return addresses;
		}
		int offset = Math.floorMod(this.rotation.getAndIncrement(), addresses.size());
		List<byte[]> rotated = new ArrayList<>(addresses.size());
		for (int i = 0; i < addresses.size(); i++) {
			rotated.add(addresses.get((offset + i) % addresses.size()));
		}
		return rotated;
	}

}
