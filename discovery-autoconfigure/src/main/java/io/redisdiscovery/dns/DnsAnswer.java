package io.redisdiscovery.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The A and AAAA addresses of a hostname, in the order the DNS server gave them (IPv4 first), the smallest TTL among
 * them, and the address families whose query got no answer (a timeout, SERVFAIL): for those, the answer says
 * nothing, as opposed to a query answered without records (NODATA, NXDOMAIN), which says there are none.
 *
 * @param addresses the addresses, never empty
 * @param ttl the smallest record TTL
 * @param unanswered the families whose query failed
 * @since 0.1.0
 */
public record DnsAnswer(List<InetAddress> addresses, Duration ttl, Set<Family> unanswered) {

	public DnsAnswer {
		addresses = List.copyOf(addresses);
		unanswered = unanswered.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unanswered));
	}

	/**
	 * Creates a complete answer: both queries were answered.
	 * @param addresses the addresses, never empty
	 * @param ttl the smallest record TTL
	 */
	public DnsAnswer(List<InetAddress> addresses, Duration ttl) {
		this(addresses, ttl, Set.of());
	}

	/**
	 * This answer with the previous addresses of each family whose query went unanswered in place of none.
	 * <p>
	 * A family that failed keeps its last known addresses rather than the whole lookup counting as failed: some
	 * resolvers and middleboxes lose one query type for good (AAAA more often than A), and failing the whole lookup
	 * would then freeze the record set and leave the topology stale for as long, while this way every change the
	 * answering family reports is followed. Taking the failed family as empty instead would move every connection
	 * off addresses that are most likely still there. An address the failed family really lost is caught as any
	 * dead address is (its connection fails, it cools down) and dropped by the next complete answer.
	 * @param previous the addresses in use before this answer
	 * @return the completed answer, or this one when both queries were answered
	 */
	public DnsAnswer keepingUnansweredFamiliesOf(List<InetAddress> previous) {
		if (this.unanswered.isEmpty()) {
			return this;
		}
		List<InetAddress> completed = new ArrayList<>();
		for (Family family : Family.values()) {
			List<InetAddress> source = this.unanswered.contains(family) ? previous : this.addresses;
			source.stream().filter((address) -> Family.of(address) == family).forEach(completed::add);
		}
		return new DnsAnswer(completed, this.ttl, this.unanswered);
	}

	/**
	 * An address family and the DNS record type that carries it.
	 */
	public enum Family {

		/** IPv4, A records. */
		IPV4("A"),

		/** IPv6, AAAA records. */
		IPV6("AAAA");

		private final String recordType;

		Family(String recordType) {
			this.recordType = recordType;
		}

		/**
		 * The record type of the family.
		 * @return {@code A} or {@code AAAA}
		 */
		public String recordType() {
			return this.recordType;
		}

		static Family of(InetAddress address) {
			return (address instanceof Inet4Address) ? IPV4 : IPV6;
		}

	}

}
