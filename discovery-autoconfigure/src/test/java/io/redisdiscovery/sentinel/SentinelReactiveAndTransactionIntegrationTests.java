package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Sentinel guarantees on the paths beyond plain template commands: reactive writes through an ordered failover
 * (they wait for the write hold, none is lost), and {@code WAIT} after a transaction's {@code EXEC}.
 */
@ExtendWith(RedisLabExtension.class)
class SentinelReactiveAndTransactionIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration DEMOTION_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void reactiveWritesThroughAnOrderedFailoverShouldFailNoneAndLoseNone(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("reactive", 1);
		sentinel(group).run((context) -> {
			ReactiveStringRedisTemplate reactive = new ReactiveStringRedisTemplate(
					context.getBean(ReactiveRedisConnectionFactory.class));
			Map<String, String> acknowledged = new ConcurrentHashMap<>();
			Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
			AtomicInteger sequence = new AtomicInteger();
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService writers = Executors.newFixedThreadPool(4);
			try {
				for (int thread = 0; thread < 4; thread++) {
					writers.execute(() -> {
						while (running.get()) {
							String key = "reactive:" + sequence.incrementAndGet();
							try {
								if (Boolean.TRUE.equals(reactive.opsForValue().set(key, key).block())) {
									acknowledged.put(key, key);
								}
							}
							catch (RuntimeException ex) {
								errors.add(ex);
							}
						}
					});
				}
				awaitAcknowledged(acknowledged, 200);
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				awaitAcknowledged(acknowledged, acknowledged.size() + 200);
				// Writes the old master acknowledged after the promotion are discarded only when it is demoted.
				group.awaitReplicasInSync(DEMOTION_TIMEOUT);
				awaitAcknowledged(acknowledged, acknowledged.size() + 100);
				running.set(false);
				writers.shutdown();
				assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
				assertThat(errors).isEmpty();
				List<String> lost = acknowledged.keySet()
					.stream()
					.filter((key) -> !key.equals(promoted.command("GET", key)))
					.toList();
				assertThat(lost).as("acknowledged reactive writes missing on the new master").isEmpty();
			}
			finally {
				running.set(false);
				writers.shutdownNow();
			}
		});
	}

	@Test
	void execShouldBeConfirmedByWaitAndFailWhenTooFewReplicasAcknowledge(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("exec-wait", 1);
		sentinel(group).withPropertyValues("redis.discovery.sentinel.wait.replicas=1").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			long waitsBefore = waitCalls(group.master());
			assertThat(redis.execute(transaction("exec:key", "confirmed"))).containsExactly(true, "confirmed");
			assertThat(waitCalls(group.master())).as("WAIT calls after one EXEC").isEqualTo(waitsBefore + 1);
			// WAIT returned only once the replica had the transaction, so it is there without waiting.
			assertThat(group.replicas().get(0).command("GET", "exec:key")).isEqualTo("confirmed");
		});
		sentinel(group).withPropertyValues("redis.discovery.sentinel.wait.replicas=2").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatExceptionOfType(ReplicaAcknowledgementException.class)
				.isThrownBy(() -> redis.execute(transaction("exec:key", "unconfirmed")))
				.withMessageContaining("1 of 2");
		});
	}

	private static SessionCallback<List<Object>> transaction(String key, String value) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				operations.opsForValue().set(key, value);
				operations.opsForValue().get(key);
				return operations.exec();
			}

		};
	}

	private static void awaitAcknowledged(Map<String, String> acknowledged, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= count);
	}

	private static long waitCalls(RedisServer server) {
		for (String line : server.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_wait:")) {
				return Long.parseLong(line.replaceAll("^cmdstat_wait:calls=(\\d+),.*", "$1").trim());
			}
		}
		return 0;
	}

	private static ApplicationContextRunner sentinel(SentinelGroup group) {
		return DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()));
	}

}
