package io.redisdiscovery.dns;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.dns.LabDnsServer;
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

	private static DnsSettings settings(LabDnsServer dns) {
		return new DnsSettings(HOSTNAME, 6379, List.of(dns.address()), Duration.ofSeconds(60), Duration.ofMillis(100),
				Duration.ofSeconds(60), AddressSelection.ROUND_ROBIN, Duration.ofSeconds(5), Duration.ofMillis(300),
				true);
	}

}
