package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Counts the topology queries one client sends to a 30-node cluster, as the servers see them.
 */
@ExtendWith(RedisLabExtension.class)
class ClusterRefreshScaleIntegrationTests {

	private static final Pattern CLUSTER_NODES_CALLS = Pattern.compile("cmdstat_cluster\\|nodes:calls=(\\d+)");

	private static final Duration PERIOD = Duration.ofMillis(500);

	private static final int PERIODS = 10;

	private static final int MAX_SOURCES = 3;

	@Test
	void eachPeriodicRefreshShouldAskAtMostMaxSourcesNodes(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(15, 1);
		assertThat(cluster.nodes()).hasSize(30);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses().subList(0, 3)),
					"redis.discovery.cluster.refresh.period=" + PERIOD.toMillis() + "ms",
					"redis.discovery.cluster.refresh.adaptive=false",
					"redis.discovery.cluster.refresh.max-sources=" + MAX_SOURCES)
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("warm-up", "1");
				cluster.nodes().forEach((node) -> node.command("CONFIG", "RESETSTAT"));
				long started = System.nanoTime();
				await("the client to run at least " + PERIODS + " periodic refreshes").atMost(Duration.ofSeconds(60))
					.pollInterval(PERIOD)
					.until(() -> clusterNodesCalls(cluster.nodes()) >= PERIODS);
				long calls = clusterNodesCalls(cluster.nodes());
				long elapsedPeriods = (System.nanoTime() - started) / PERIOD.toNanos() + 1;
				System.out.printf("Topology queries of one client to a 30-node cluster: %d CLUSTER NODES in %d periods%n",
						calls, elapsedPeriods);
				assertThat(calls).as("CLUSTER NODES calls over %d periods of %s", elapsedPeriods, PERIOD)
					.isLessThanOrEqualTo(MAX_SOURCES * elapsedPeriods);
				assertThat(redis.opsForValue().get("warm-up")).isEqualTo("1");
			});
	}

	private static long clusterNodesCalls(List<RedisServer> nodes) {
		long calls = 0;
		for (RedisServer node : nodes) {
			Matcher matcher = CLUSTER_NODES_CALLS.matcher(node.info("commandstats"));
			if (matcher.find()) {
				calls += Long.parseLong(matcher.group(1));
			}
		}
		return calls;
	}

}
