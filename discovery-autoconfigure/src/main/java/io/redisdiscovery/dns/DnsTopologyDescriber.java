package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;

/**
 * Describes the DNS topology: the addresses of the latest answer, then the addresses outside it that connections
 * still use ({@code inDnsAnswer=false}), each with its connections and cool-down, and the lookup's details.
 */
final class DnsTopologyDescriber {

	private final DnsSettings settings;

	private final AddressBook book;

	DnsTopologyDescriber(DnsSettings settings, AddressBook book) {
		this.settings = settings;
		this.book = book;
	}

	/**
	 * The topology as the address book and the lookups know it now.
	 * @param status how the lookups went
	 * @return the topology
	 */
	RedisTopology describe(LookupStatus status) {
		// Sorted, so that a server rotating its answers does not look like a change.
		Set<InetAddress> members = new LinkedHashSet<>();
		this.book.addresses()
			.stream()
			.map(AddressBook::withoutHostname)
			.sorted(AddressBook.BY_BYTES)
			.forEach(members::add);
		List<TopologyEndpoint> endpoints = new ArrayList<>();
		for (InetAddress address : members) {
			endpoints.add(endpoint(address, true));
		}
		this.book.connectedAddresses()
			.stream()
			.filter((address) -> !members.contains(address))
			.sorted(AddressBook.BY_BYTES)
			.forEach((address) -> endpoints.add(endpoint(address, false)));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("hostname", this.settings.hostname());
		details.put("port", this.settings.port());
		details.put("nameservers", this.settings.nameservers().isEmpty() ? List.of("system")
				: this.settings.nameservers().stream().map(DnsTopologyDescriber::hostAndPort).toList());
		details.put("selection", this.settings.selection().value());
		if (status.ttl() != null) {
			details.put("recordTtl", status.ttl().toString());
		}
		if (status.lastResolution() != null) {
			details.put("lastResolution", status.lastResolution().toString());
		}
		details.put("stale", status.stale());
		if (status.lastError() != null) {
			details.put("lastError", status.lastError());
		}
		return new RedisTopology(DnsTopologySource.MODE, endpoints, details, status.lastResolution(),
				status.stale());
	}

	private TopologyEndpoint endpoint(InetAddress address, boolean inAnswer) {
		AddressState state = this.book.state(address);
		int active = state.connections();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put(DnsTopologySource.IN_DNS_ANSWER, inAnswer);
		details.put("connections", active);
		Instant coolingDownUntil = this.book.coolingDownUntil(address);
		if (coolingDownUntil != null) {
			details.put("coolingDownUntil", coolingDownUntil.toString());
		}
		boolean isReachable = coolingDownUntil == null && (active > 0 || state.reachable());
		return new TopologyEndpoint(node(address), state.role(), isReachable, active > 0, details);
	}

	RedisNode node(InetAddress address) {
		return new RedisNode(address.getHostAddress(), this.settings.port());
	}

	private static String hostAndPort(InetSocketAddress address) {
		return new RedisNode(address.getHostString(), address.getPort()).toString();
	}

}
