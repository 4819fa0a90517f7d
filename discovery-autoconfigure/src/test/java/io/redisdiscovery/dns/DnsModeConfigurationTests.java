package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.autoconfigure.InvalidDiscoveryPropertyException;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class DnsModeConfigurationTests {

	private static LabDnsServer dns;

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter()
		.withPropertyValues("redis.discovery.mode=dns");

	@BeforeAll
	static void startDns(RedisLab lab) {
		dns = lab.startDnsServer();
		dns.setRecords("db.lab.test", Duration.ofSeconds(5), "127.0.0.11", "127.0.0.12");
	}

	@Test
	void runWhenHostnameIsMissingShouldFailNamingIt() {
		assertInvalid(this.contextRunner, "redis.discovery.dns.hostname", "it is not set");
	}

	@Test
	void runWhenHostnameIsAnIpAddressShouldFailNamingIt() {
		assertInvalid(this.contextRunner.withPropertyValues("redis.discovery.dns.hostname=10.0.0.1"),
				"redis.discovery.dns.hostname", "'10.0.0.1' is an IP address, not a name to resolve");
	}

	@Test
	void runWhenNameserverIsMalformedShouldFailNamingIt() {
		assertInvalid(withHostname().withPropertyValues("redis.discovery.dns.nameservers=127.0.0.1:53,10.0.0.2"),
				"redis.discovery.dns.nameservers[1]", "'10.0.0.2' is not of the form host:port");
	}

	@Test
	void runWhenNameserverIsAHostnameShouldFailNamingIt() {
		assertInvalid(withHostname().withPropertyValues("redis.discovery.dns.nameservers=dns.example:53"),
				"redis.discovery.dns.nameservers[0]", "'dns.example' is not an IP address");
	}

	@Test
	void runWhenRefreshIntervalIsZeroShouldFailNamingIt() {
		assertInvalid(withHostname().withPropertyValues("redis.discovery.dns.refresh-interval=0s"),
				"redis.discovery.dns.refresh-interval", "it is PT0S, not a positive duration");
	}

	@Test
	void runWhenMinTtlExceedsMaxTtlShouldFailNamingIt() {
		assertInvalid(
				withHostname().withPropertyValues("redis.discovery.dns.min-ttl=10s", "redis.discovery.dns.max-ttl=5s"),
				"redis.discovery.dns.min-ttl", "it is longer than redis.discovery.dns.max-ttl");
	}

	@Test
	void runWhenHostnameDoesNotResolveShouldFailNamingIt() {
		assertInvalid(withHostname("missing.lab.test"), "redis.discovery.dns.hostname",
				"Cannot resolve 'missing.lab.test': no A or AAAA record");
	}

	@Test
	void runWhenHostnameDoesNotResolveAndFailFastIsOffShouldStartWithAStaleEmptyTopology() {
		withHostname("missing.lab.test").withPropertyValues("redis.discovery.dns.fail-fast=false").run((context) -> {
			assertThat(context).hasNotFailed();
			RedisTopology topology = context.getBean(TopologySource.class).current();
			assertThat(topology.stale()).isTrue();
			assertThat(topology.endpoints()).isEmpty();
			assertThat(topology.details()).containsEntry("hostname", "missing.lab.test");
		});
	}

	@Test
	void runWhenHostnameResolvesShouldExposeEveryAddressAndDetails() {
		withHostname().withPropertyValues("redis.discovery.password=s3cret-Dns-Pw").run((context) -> {
			RedisTopology topology = context.getBean(TopologySource.class).current();
			assertThat(topology.mode()).isEqualTo(DiscoveryMode.DNS);
			assertThat(DnsModeIntegrationTests.answer(topology)).containsExactly("127.0.0.11", "127.0.0.12");
			assertThat(topology.details()).containsEntry("hostname", "db.lab.test")
				.containsEntry("recordTtl", "PT5S")
				.containsEntry("stale", false)
				.containsEntry("selection", "round-robin")
				.containsKey("lastResolution");
			assertThat(topology.toString()).doesNotContain("s3cret-Dns-Pw");
		});
	}

	@Test
	void closeShouldStopTheThreadsOfTheSource() {
		withHostname().run((context) -> assertThat(dnsThreads()).isNotEmpty());
		await("DNS threads stopped").atMost(Duration.ofSeconds(10)).until(() -> dnsThreads().isEmpty());
	}

	private static List<String> dnsThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("redis-discovery-dns"))
			.toList();
	}

	private ApplicationContextRunner withHostname() {
		return withHostname("db.lab.test");
	}

	private ApplicationContextRunner withHostname(String hostname) {
		return this.contextRunner.withPropertyValues("redis.discovery.dns.hostname=" + hostname,
				"redis.discovery.dns.nameservers=" + dns.hostAndPort(), "redis.discovery.dns.query-timeout=300ms");
	}

	private static void assertInvalid(ApplicationContextRunner runner, String property, String problem) {
		runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOf(InvalidDiscoveryPropertyException.class)
			.hasMessage("Invalid value of property '" + property + "': " + problem));
	}

}
