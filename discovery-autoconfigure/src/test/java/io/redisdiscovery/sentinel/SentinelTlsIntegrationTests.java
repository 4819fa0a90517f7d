package io.redisdiscovery.sentinel;

import java.time.Duration;

import io.lettuce.core.SslVerifyMode;
import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.SentinelGroupOptions;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.AbstractTlsIntegrationTests;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS in Sentinel mode against redis-server's own TLS ports on data nodes and Sentinels: the application's
 * connections go through the logical master address, yet verify the certificate of the node they reach.
 */
@Timeout(180)
class SentinelTlsIntegrationTests extends AbstractTlsIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void workloadShouldSeeNoErrorOverTlsWhenSentinelsFailOver(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("tls-failover", 1,
				SentinelGroupOptions.defaults().withTls(authority.issueForLoopback("nodes")));
		sentinel(trustingLabCa(), group).run((context) -> {
			assertThat(context.getBean(RetryingLettuceConnectionFactory.class)
				
				.getClientConfiguration()
				.getVerifyMode()).as("certificates verified with host names").isEqualTo(SslVerifyMode.FULL);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "tls-failover").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				RedisServer previous = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(previous, FAILOVER_TIMEOUT);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
				redis.opsForValue().set("tls-failover:after", "landed");
				assertThat(promoted.command("GET", "tls-failover:after")).isEqualTo("landed");
			}
		});
	}

	@Test
	void replicaReadsShouldUseTlsToo(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("tls-reads", 1,
				SentinelGroupOptions.defaults().withTls(authority.issueForLoopback("read-nodes")));
		sentinel(trustingLabCa(), group)
			.withPropertyValues("redis.discovery.sentinel.read-from=replica-preferred")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("tls-reads", "replicated");
				await("the write to reach the replica")
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(redis.opsForValue().get("tls-reads")).isEqualTo("replicated"));
			});
	}

	@Test
	void dataNodeCertificateShouldBeVerifiedAgainstTheNodeNotTheLogicalMasterAddress(RedisLab lab) {
		LabTls elsewhere = authority.issue("elsewhere-nodes", "DNS:elsewhere.lab.test");
		SentinelGroup group = lab.startSentinelGroup("tls-wrong-host", 0,
				SentinelGroupOptions.defaults().withTls(elsewhere, authority.issueForLoopback("good-sentinels")));
		sentinel(trustingLabCa(), group)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(causeMessages(ex)).contains(group.master().announcedHostAndPort())
					.containsIgnoringCase("subject alternative")));
	}

	@Test
	void startupShouldFailClearlyWhenTheSentinelsAreNotTrusted(RedisLab lab) {
		LabTls untrusted = untrustedCertificate("impostors");
		SentinelGroup group = lab.startSentinelGroup("tls-untrusted", 0,
				SentinelGroupOptions.defaults().withTls(untrusted));
		sentinel(trustingLabCa(), group)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("certification path")));
	}

	private static ApplicationContextRunner sentinel(ApplicationContextRunner runner, SentinelGroup group) {
		return runner.withPropertyValues("redis.discovery.mode=sentinel",
				"redis.discovery.sentinel.master=" + group.masterName(),
				"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()));
	}

}
