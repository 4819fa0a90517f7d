package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DnsTopologyDescriber} describing an {@link AddressBook} driven by hand.
 */
class DnsTopologyDescriberTests {

	private final MutableClock clock = new MutableClock();

	private final DnsSettings settings = new DnsSettings("db.example", 12000,
			List.of(new InetSocketAddress("127.0.0.53", 53)), Duration.ofSeconds(60), Duration.ofSeconds(1),
			Duration.ofSeconds(60), AddressSelection.ROUND_ROBIN, Duration.ofSeconds(5), Duration.ofSeconds(1), true);

	private final AddressBook book = new AddressBook("db.example", 12000, AddressSelection.ROUND_ROBIN,
			Duration.ofSeconds(5), this.clock);

	private final DnsTopologyDescriber describer = new DnsTopologyDescriber(this.settings, this.book);

	@Test
	void endpointsShouldBeTheAnswerSortedThenTheAddressesOutsideItThatConnectionsStillUse() throws Exception {
		this.book.answered(List.of(ip("10.0.0.3"), ip("10.0.0.2")));
		this.book.connected(ip("10.0.0.9"));
		this.book.connected(ip("10.0.0.3"));
		this.book.probed(ip("10.0.0.2"), NodeRole.MASTER, true);
		this.book.coolDown(ip("10.0.0.2"));
		RedisTopology topology = this.describer.describe(LookupStatus.NONE);
		assertThat(topology.endpoints()).extracting((endpoint) -> endpoint.node().host())
			.containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.9");
		assertThat(topology.endpoints().get(0)).satisfies((endpoint) -> {
			assertThat(endpoint.role()).isEqualTo(NodeRole.MASTER);
			assertThat(endpoint.reachable()).as("cooling down").isFalse();
			assertThat(endpoint.details()).containsEntry("coolingDownUntil",
					MutableClock.START.plusSeconds(5).toString());
		});
		assertThat(topology.endpoints().get(1)).satisfies((endpoint) -> {
			assertThat(endpoint.inUse()).isTrue();
			assertThat(endpoint.reachable()).isTrue();
			assertThat(endpoint.details()).containsEntry(DnsTopologySource.IN_DNS_ANSWER, true)
				.containsEntry("connections", 1);
		});
		assertThat(topology.endpoints().get(2).details()).containsEntry(DnsTopologySource.IN_DNS_ANSWER, false);
	}

	@Test
	void detailsShouldSayHowTheLookupsWent() throws Exception {
		this.book.answered(List.of(ip("10.0.0.1")));
		LookupStatus status = LookupStatus.NONE
			.answered(Duration.ofSeconds(30), MutableClock.START, Set.of(), null)
			.failed("No DNS server answered");
		RedisTopology topology = this.describer.describe(status);
		assertThat(topology.details()).containsExactly(Map.entry("hostname", "db.example"), Map.entry("port", 12000),
				Map.entry("nameservers", List.of("127.0.0.53:53")), Map.entry("selection", "round-robin"),
				Map.entry("recordTtl", "PT30S"), Map.entry("lastResolution", MutableClock.START.toString()),
				Map.entry("stale", true), Map.entry("lastError", "No DNS server answered"));
		assertThat(topology.stale()).isTrue();
		assertThat(topology.endpoints()).extracting(TopologyEndpoint::reachable).containsExactly(false);
	}

	private static InetAddress ip(String ip) throws Exception {
		return InetAddress.getByName(ip);
	}

}
