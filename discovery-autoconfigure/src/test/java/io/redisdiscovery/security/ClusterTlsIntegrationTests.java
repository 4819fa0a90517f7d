package io.redisdiscovery.security;

import java.time.Duration;

import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisClusterOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS in cluster mode against redis-server's own TLS ports ({@code tls-cluster yes}): seeds, topology queries and
 * the connections Lettuce opens to the nodes it learns all verify the nodes' certificates.
 */
@Timeout(180)
class ClusterTlsIntegrationTests extends AbstractTlsIntegrationTests {

	private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void workloadShouldSeeNoErrorOverTlsWhenAReplicaTakesOver(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1,
				RedisClusterOptions.defaults().withTls(authority.issueForLoopback("cluster")));
		cluster(trustingLabCa(), cluster).run((context) -> {
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
		LabTls untrusted = untrustedCertificate("impostors");
		RedisClusterLab cluster = lab.startCluster(3, 0, RedisClusterOptions.defaults().withTls(untrusted));
		cluster(trustingLabCa(), cluster)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("certification path")));
	}

	@Test
	void startupShouldFailClearlyWhenTheCertificatesNameAnotherHost(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0, RedisClusterOptions.defaults()
			.withTls(authority.issue("cluster-elsewhere", "DNS:elsewhere.lab.test")));
		cluster(trustingLabCa(), cluster)
			.withPropertyValues("redis.discovery.startup=fail-fast")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("subject alternative")));
	}

	private static ApplicationContextRunner cluster(ApplicationContextRunner runner, RedisClusterLab cluster) {
		return runner.withPropertyValues("redis.discovery.mode=cluster",
				"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()));
	}

}
