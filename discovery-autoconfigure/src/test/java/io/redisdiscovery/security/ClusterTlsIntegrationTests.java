package io.redisdiscovery.security;

import java.nio.file.Path;
import java.time.Duration;

import io.redisdiscovery.lab.LabCertificates;
import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisClusterOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS in cluster mode against redis-server's own TLS ports ({@code tls-cluster yes}): seeds, topology queries and
 * the connections Lettuce opens to the nodes it learns all verify the nodes' certificates.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class ClusterTlsIntegrationTests {

	private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	static Path certificates;

	private static LabCertificates authority;

	@BeforeAll
	static void createAuthority() {
		authority = LabCertificates.createAuthority(certificates.resolve("trusted"), "trusted");
	}

	@Test
	void workloadShouldSeeNoErrorOverTlsWhenAReplicaTakesOver(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1,
				RedisClusterOptions.defaults().withTls(authority.issueForLoopback("cluster")));
		cluster(TlsTrust.trusting(authority.caCertificate()), cluster).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "tls-cluster").start(4)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				RedisServer master = cluster.masters().get(0);
				cluster.manualFailover(cluster.replicasOf(master).get(0));
				workload.awaitProgress(300, PROGRESS_TIMEOUT);
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void startupShouldFailClearlyWhenTheNodesAreNotTrusted(RedisLab lab) {
		LabTls untrusted = LabCertificates.createAuthority(certificates.resolve("untrusted"), "untrusted")
			.issueForLoopback("impostors");
		RedisClusterLab cluster = lab.startCluster(3, 0, RedisClusterOptions.defaults().withTls(untrusted));
		cluster(TlsTrust.trusting(authority.caCertificate()), cluster)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(TlsTrust.causeMessages(ex)).containsIgnoringCase("certification path")));
	}

	@Test
	void startupShouldFailClearlyWhenTheCertificatesNameAnotherHost(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0, RedisClusterOptions.defaults()
			.withTls(authority.issue("cluster-elsewhere", "DNS:elsewhere.lab.test")));
		cluster(TlsTrust.trusting(authority.caCertificate()), cluster)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(TlsTrust.causeMessages(ex)).containsIgnoringCase("subject alternative")));
	}

	private static ApplicationContextRunner cluster(ApplicationContextRunner runner, RedisClusterLab cluster) {
		return runner.withPropertyValues("redis.discovery.mode=cluster",
				"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()));
	}

}
