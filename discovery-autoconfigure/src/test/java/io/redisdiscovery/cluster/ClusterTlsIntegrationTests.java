package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisClusterOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.AbstractTlsIntegrationTests;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
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

	@Test
	void addressMapShouldDialTheMappedAddressAndVerifyTheAnnouncedHost(RedisLab lab) {
		// The certificate names only what the nodes announce (127.0.0.1), not the host the map dials (localhost).
		RedisClusterLab cluster = lab.startCluster(3, 0,
				RedisClusterOptions.defaults().withTls(authority.issue("cluster-announced", "IP:127.0.0.1")));
		List<TcpProxy> nat = new ArrayList<>();
		mappedThroughProxies(trustingLabCa(), cluster, lab, nat).run((context) -> {
			assertThat(context).hasNotFailed();
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			for (int i = 0; i < 30; i++) {
				redis.opsForValue().set("mapped-" + i, "v" + i);
				assertThat(redis.opsForValue().get("mapped-" + i)).isEqualTo("v" + i);
			}
			// Every node was dialled through the map (its proxy), not at the address it announces.
			assertThat(nat).allSatisfy((proxy) -> assertThat(proxy.acceptedConnections()).isPositive());
		});
	}

	@Test
	void addressMapShouldNotMakeACertificateForTheMappedHostValid(RedisLab lab) {
		// A certificate for the dialled host only: the announced node identity is not proven.
		RedisClusterLab cluster = lab.startCluster(3, 0,
				RedisClusterOptions.defaults().withTls(authority.issue("cluster-mapped", "DNS:localhost")));
		mappedThroughProxies(trustingLabCa(), cluster, lab, new ArrayList<>())
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("subject alternative")));
	}

	/**
	 * Cluster mode with fail-fast startup whose address map sends every announced {@code 127.0.0.1:port}, seeds
	 * included, to {@code localhost:proxyPort}, a lab proxy in front of the node's TLS port (a NAT, as a client
	 * outside it sees one).
	 */
	private static ApplicationContextRunner mappedThroughProxies(ApplicationContextRunner runner,
			RedisClusterLab cluster, RedisLab lab, List<TcpProxy> proxies) {
		Map<String, Object> addressMap = new LinkedHashMap<>();
		for (RedisServer node : cluster.nodes()) {
			TcpProxy proxy = lab.startProxy(node.host(), new InetSocketAddress(node.host(), node.tlsPort()));
			proxies.add(proxy);
			addressMap.put("redis.discovery.cluster.address-map.[" + cluster.announcedHostAndPort(node) + "]",
					"localhost:" + proxy.port());
		}
		// A property source of its own: withPropertyValues would split the keys at their colons.
		return cluster(runner, cluster).withPropertyValues("redis.discovery.startup=fail-fast")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("address-map", addressMap)));
	}

	private static ApplicationContextRunner cluster(ApplicationContextRunner runner, RedisClusterLab cluster) {
		return runner.withPropertyValues("redis.discovery.mode=cluster",
				"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()));
	}

}
