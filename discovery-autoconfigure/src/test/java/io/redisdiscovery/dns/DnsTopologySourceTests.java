package io.redisdiscovery.dns;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DnsTopologySource} on its own, watching a hostname served by the lab's DNS server.
 */
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
class DnsTopologySourceTests {

	private static final String HOSTNAME = "watched.lab.test";

	private static final Duration TTL = Duration.ofSeconds(1);

	private final ClientResources resources = ClientResources.create();

	private @Nullable DnsTopologySource source;

	@AfterEach
	void close() {
		if (this.source != null) {
			this.source.close();
		}
		this.resources.shutdown();
	}

	@Test
	void watchingShouldSurviveALookupThatFailsUnexpectedly(RedisLab lab, CapturedOutput output) {
		LabDnsServer dns = lab.startDnsServer();
		dns.setRecords(HOSTNAME, TTL, "127.0.0.11");
		AtomicInteger lookups = new AtomicInteger();
		DnsTopologySource source = new DnsTopologySource(settings(dns),
				new DnsRecordLookup(List.of(dns.address()), Duration.ofMillis(300)), this.resources.eventBus(), null,
				Clock.systemUTC()) {

			@Override
			DnsAnswer lookUp(String hostname) {
				if (lookups.incrementAndGet() == 2) {
					// Not a DnsLookupException: a failure nobody planned for, as a bug or a resolver error would be.
					throw new IllegalStateException("unexpected");
				}
				return super.lookUp(hostname);
			}

		};
		this.source = source;
		source.start();
		assertThat(DnsModeIntegrationTests.answer(source.current())).containsExactly("127.0.0.11");
		await("the failing lookup").atMost(TTL.multipliedBy(5)).until(() -> lookups.get() >= 2);
		dns.setRecords(HOSTNAME, TTL, "127.0.0.12");
		await("the record change to be followed").atMost(TTL.multipliedBy(5))
			.until(() -> DnsModeIntegrationTests.answer(source.current()).equals(List.of("127.0.0.12")));
		assertThat(output).contains("WARN", "Looking up '" + HOSTNAME + "' failed unexpectedly (IllegalStateException");
	}

	@Test
	void addressLeavingTheRecordsShouldLoseWhatWasLearnedAboutIt(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11", "127.0.0.12");
		DnsTopologySource source = new DnsTopologySource(settings(dns.dns, DnsLab.HOSTNAME, dns.port),
				new DnsRecordLookup(List.of(dns.dns.address()), Duration.ofMillis(300)), this.resources.eventBus(),
				new NodeProbe(this.resources, ClientOptions.create(), Credentials.NONE, Duration.ofSeconds(1), false),
				Clock.systemUTC());
		this.source = source;
		source.start();
		source.refresh("probe");
		assertThat(endpoint(source, "127.0.0.11")).satisfies((endpoint) -> {
			assertThat(endpoint.role()).isEqualTo(NodeRole.MASTER);
			assertThat(endpoint.reachable()).isTrue();
		});
		dns.records(TTL, "127.0.0.12");
		await("127.0.0.11 left the records").atMost(TTL.multipliedBy(5))
			.until(() -> DnsModeIntegrationTests.answer(source.current()).equals(List.of("127.0.0.12")));
		dns.records(TTL, "127.0.0.11", "127.0.0.12");
		await("127.0.0.11 back in the records").atMost(TTL.multipliedBy(5))
			.until(() -> DnsModeIntegrationTests.answer(source.current()).size() == 2);
		// Whatever answers at that address now has not been probed yet.
		assertThat(endpoint(source, "127.0.0.11")).satisfies((endpoint) -> {
			assertThat(endpoint.role()).isEqualTo(NodeRole.UNKNOWN);
			assertThat(endpoint.reachable()).isFalse();
		});
	}

	@Test
	void anAnswerTooLargeForUdpShouldBeReadInFullOverTcp(RedisLab lab) {
		LabDnsServer dns = lab.startDnsServer();
		String[] many = new String[40];
		for (int i = 0; i < many.length; i++) {
			many[i] = "127.0.1." + (i + 1);
		}
		dns.setRecords(HOSTNAME, TTL, many);
		// The truncated answer over UDP, then the query over TCP, within one lookup timeout: 300 ms was missed once on
		// CI, the first TCP query of the JVM.
		DnsTopologySource source = new DnsTopologySource(settings(dns),
				new DnsRecordLookup(List.of(dns.address()), Duration.ofSeconds(2)), this.resources.eventBus(), null,
				Clock.systemUTC());
		this.source = source;
		source.start();
		assertThat(DnsModeIntegrationTests.answer(source.current())).containsExactlyInAnyOrder(many);
		assertThat(dns.tcpQueryCount(HOSTNAME)).as("queries over TCP").isPositive();
	}

	private static TopologyEndpoint endpoint(DnsTopologySource source, String host) {
		return source.current()
			.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.node().host().equals(host))
			.findFirst()
			.orElseThrow();
	}

	private static DnsSettings settings(LabDnsServer dns) {
		return settings(dns, HOSTNAME, 6379);
	}

	private static DnsSettings settings(LabDnsServer dns, String hostname, int port) {
		return new DnsSettings(hostname, port, List.of(dns.address()), Duration.ofSeconds(60),
				Duration.ofMillis(100), Duration.ofSeconds(60), AddressSelection.ROUND_ROBIN, Duration.ofSeconds(5),
				Duration.ofMillis(300), true);
	}

}
