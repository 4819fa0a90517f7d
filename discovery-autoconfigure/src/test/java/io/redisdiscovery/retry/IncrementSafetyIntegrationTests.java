package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

	/**
	 * A server that stops reading for longer than the command timeout (a long script, a fork, a stalled VM) later
	 * applies every INCR it received meanwhile, though their callers were told of a timeout: the one fault that
	 * puts applied-but-unanswered INCRs in flight every time, so a retry of them would always show.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(Deployment.class)
	void incrementsShouldNotBeDuplicatedWhenTheServerStallsPastTheCommandTimeout(Deployment deployment, RedisLab lab) {
		String prefix = "incr-stall";
		DeployedRedis redis = deployment.start(lab, prefix + ":counter");
		this.contextRunner.withPropertyValues(redis.properties().toArray(String[]::new))
			.withPropertyValues("redis.discovery.timeout.command=200ms")
			.run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(template, prefix).start(2)
					.startIncrementing(INCREMENT_THREADS)) {
					workload.awaitProgress(100, PROGRESS_TIMEOUT);
					stall(redis.counterNode(), Duration.ofMillis(600));
					workload.awaitProgress(100, PROGRESS_TIMEOUT);
					workload.close();
					workload.assertNoIncrementDuplicated(template);
					assertThat(workload.incrementErrors()).as("INCRs told of a timeout").isNotEmpty();
				}
			});
	}

	@Test
	void incrementsShouldNotBeDuplicatedWhenSentinelMasterIsKilled(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("incr-kill", 2);
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, "incr-kill").start(2).startIncrementing(INCREMENT_THREADS)) {
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
				try (Workload workload = new Workload(redis, prefix).start(2).startIncrementing(INCREMENT_THREADS)) {
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
	void incrementWhoseReplyIsLateShouldBeAppliedAgainWhenNonIdempotentRetryIsOptedIn(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + proxy.port(), "redis.discovery.timeout.command=300ms",
					"redis.discovery.retry.non-idempotent-commands=true")
			// The link is slow, not dead: the silence watch would replace the connection, and the proxy drop the
			// INCR it still holds.
			.withPropertyValues(DiscoveryContextRunners.userWithoutDel(server))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("visits", "0");
				AtomicInteger retries = new AtomicInteger();
				context.getBean("redisDiscoveryRetry", Retry.class)
					.getEventPublisher()
					.onRetry((event) -> retries.incrementAndGet());
				// The server applies the first INCR, but its reply arrives after the command timeout; the retry
				// is applied as well, and goes through once the link is fast again.
				proxy.setLatency(Duration.ofMillis(600));
				Thread healer = new Thread(() -> {
					await().atMost(Duration.ofSeconds(5)).until(() -> retries.get() >= 1);
					proxy.setLatency(Duration.ZERO);
				});
				healer.start();
				Long acknowledged = redis.opsForValue().increment("visits");
				healer.join();
				assertThat(acknowledged).as("value returned to the one INCR call").isGreaterThanOrEqualTo(2);
				assertThat(Long.parseLong(String.valueOf(server.command("GET", "visits"))))
					.as("times the one INCR call was applied")
					.isGreaterThanOrEqualTo(2);
			});
	}

	/**
	 * Keeps the server's event loop busy, so that it neither reads nor answers, for {@code duration}.
	 */
	private static void stall(RedisServer server, Duration duration) {
		server.command("EVAL", """
				local start = redis.call('TIME')
				local now = start
				while (now[1] - start[1]) * 1000000 + (now[2] - start[2]) < tonumber(ARGV[1]) * 1000 do
					now = redis.call('TIME')
				end
				return 1""", "0", Long.toString(duration.toMillis()));
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

	/**
	 * Where the application's Redis runs, and the node serving the counter.
	 */
	enum Deployment {

		STANDALONE {
			@Override
			DeployedRedis start(RedisLab lab, String counterKey) {
				RedisServer server = lab.startServer();
				return new DeployedRedis(server, List.of("redis.discovery.mode=standalone",
						"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + server.port()));
			}
		},

		LOAD_BALANCER {
			@Override
			DeployedRedis start(RedisLab lab, String counterKey) {
				RedisServer server = lab.startServer();
				TcpProxy balancer = lab.startProxy(server.address());
				return new DeployedRedis(server,
						List.of("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
								"redis.discovery.load-balancer.port=" + balancer.port()));
			}
		},

		SENTINEL {
			@Override
			DeployedRedis start(RedisLab lab, String counterKey) {
				SentinelGroup group = lab.startSentinelGroup("incr-stall", 1);
				return new DeployedRedis(group.master(),
						List.of("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
								"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses())));
			}
		},

		CLUSTER {
			@Override
			DeployedRedis start(RedisLab lab, String counterKey) {
				RedisClusterLab cluster = lab.startCluster(3, 1);
				return new DeployedRedis(cluster.masterForSlot(RedisClusterLab.slotFor(counterKey)),
						List.of("redis.discovery.mode=cluster",
								"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses())));
			}
		};

		abstract DeployedRedis start(RedisLab lab, String counterKey);

	}

	record DeployedRedis(RedisServer counterNode, List<String> properties) {
	}

}
