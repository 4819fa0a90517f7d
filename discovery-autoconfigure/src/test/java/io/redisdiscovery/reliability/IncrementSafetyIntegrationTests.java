package io.redisdiscovery.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * INCR from several threads on one counter through the faults that the mode tests do not already check for
 * duplicates, and the opt-in that allows them.
 * <p>
 * Covered elsewhere, with the same four-thread {@link Workload}: standalone kill -9 and restart
 * ({@code StandaloneModeIntegrationTests}), load-balancer backend kill and black hole
 * ({@code LoadBalancerModeIntegrationTests}), DNS proxy kill and record change ({@code DnsModeIntegrationTests}),
 * {@code SENTINEL FAILOVER} ({@code SentinelModeIntegrationTests}), {@code CLUSTER FAILOVER}
 * ({@code ClusterModeIntegrationTests}), garbage replies ({@code SickServerIntegrationTests}).
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class IncrementSafetyIntegrationTests {

	private static final int INCREMENT_THREADS = 4;

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void incrementsShouldNotBeDuplicatedWhenSentinelMasterIsKilled(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("incr-kill", 2);
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, "incr-kill").start(INCREMENT_THREADS)) {
					workload.awaitProgress(200, PROGRESS_TIMEOUT);
					RedisServer killed = group.killMaster();
					group.awaitNewMaster(killed, FAILOVER_TIMEOUT);
					workload.awaitProgress(200, PROGRESS_TIMEOUT);
					workload.close();
					// The killed master may take its last INCRs with it (asynchronous replication): only the upper
					// bound holds.
					workload.assertNoIncrementDuplicated(redis);
				}
			});
	}

	@Test
	void incrementsShouldNotBeDuplicatedWhenClusterMasterServingTheCounterIsKilled(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		RedisServer master = cluster.masters().get(0);
		String prefix = prefixWithCounterServedBy(cluster, master);
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, prefix).start(INCREMENT_THREADS)) {
					workload.awaitProgress(200, PROGRESS_TIMEOUT);
					cluster.killMaster(master);
					cluster.awaitPromotion(master, FAILOVER_TIMEOUT);
					workload.awaitProgress(300, PROGRESS_TIMEOUT);
					workload.close();
					workload.assertNoIncrementDuplicated(redis);
				}
			});
	}

	@Test
	void incrementWhoseReplyIsLateShouldBeAppliedTwiceWhenNonIdempotentRetryIsOptedIn(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + proxy.port(), "redis.discovery.timeout.command=300ms",
					"redis.discovery.retry.non-idempotent-commands=true")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("visits", "0");
				AtomicInteger retries = new AtomicInteger();
				context.getBean("redisDiscoveryRetry", Retry.class)
					.getEventPublisher()
					.onRetry((event) -> retries.incrementAndGet());
				// The server applies the first INCR, but its reply arrives after the command timeout; the retry
				// goes through once the link is fast again and is applied as well.
				proxy.setLatency(Duration.ofMillis(600));
				Thread healer = new Thread(() -> {
					await().atMost(Duration.ofSeconds(5)).until(() -> retries.get() >= 1);
					proxy.setLatency(Duration.ZERO);
				});
				healer.start();
				Long acknowledged = redis.opsForValue().increment("visits");
				healer.join();
				assertThat(acknowledged).isEqualTo(2);
				assertThat(server.command("GET", "visits")).as("one INCR call, applied twice").isEqualTo("2");
			});
	}

	private static String prefixWithCounterServedBy(RedisClusterLab cluster, RedisServer master) {
		for (int i = 0; i < 1000; i++) {
			String prefix = "incr-kill-" + i;
			if (cluster.masterForSlot(RedisClusterLab.slotFor(prefix + ":counter")).equals(master)) {
				return prefix;
			}
		}
		throw new IllegalStateException("No counter key served by " + master);
	}

}
