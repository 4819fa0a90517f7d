package io.redisdiscovery.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static io.redisdiscovery.test.RetryEvents.countRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class StandaloneModeIntegrationTests {

	private static final String PASSWORD = "s3cret-Standalone-Pw";

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void templateShouldReadAndWriteThroughStarter(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
			assertThat(server.command("GET", "greeting")).isEqualTo("hello");
		});
	}

	@Test
	void scriptsCallbacksAndPipelinesShouldRunThroughStarter(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			RedisScript<Long> incrementBy = RedisScript.of("return redis.call('INCRBY', KEYS[1], ARGV[1])", Long.class);
			assertThat(redis.execute(incrementBy, List.of("scripted"), "5")).isEqualTo(5L);
			byte[] key = "scripted".getBytes(StandardCharsets.UTF_8);
			assertThat(redis.execute((RedisCallback<byte[]>) (connection) -> connection.stringCommands().get(key)))
				.asString(StandardCharsets.UTF_8)
				.isEqualTo("5");
			List<Object> replies = redis.executePipelined((RedisCallback<Object>) (connection) -> {
				connection.stringCommands().incr(key);
				connection.stringCommands().get(key);
				return null;
			});
			assertThat(replies).containsExactly(6L, "6");
			assertThat(server.command("GET", "scripted")).isEqualTo("6");
		});
	}

	@Test
	void retryMetricsShouldCountCommandsNotConnectionAcquisitions(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			Retry.Metrics metrics = context.getBean("redisDiscoveryRetry", Retry.class).getMetrics();
			long before = metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt();
			redis.opsForValue().set("counted", "1");
			redis.opsForValue().get("counted");
			redis.hasKey("counted");
			assertThat(metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt() - before).isEqualTo(3);
		});
	}

	@Test
	void workloadShouldSeeNoErrorWhenServerIsKilledAndRestarted(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			AtomicInteger retries = countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
			try (Workload workload = new Workload(redis, "restart").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				server.kill();
				// Restart only once the application is demonstrably riding the outage.
				await("retries during the outage").atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 4);
				server.restart();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
			assertThat(retries.get()).isGreaterThanOrEqualTo(4);
		});
	}

	/**
	 * Transactions and pipelines ride through the outage as single commands do: one that cannot get a connection is
	 * begun again once Redis accepts, and a pipeline of SETs the kill cut is sent again. Only a transaction the kill
	 * cut after its EXEC went out may fail, one per thread.
	 */
	@ParameterizedTest
	@EnumSource(value = Workload.WriteStyle.class, names = { "TRANSACTION", "PIPELINE" })
	void transactionsAndPipelinesShouldWaitForTheRestartedServer(Workload.WriteStyle style, RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			AtomicInteger retries = countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
			int threads = 4;
			try (Workload workload = new Workload(redis, "restart-" + style).writingWith(style).start(threads)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				server.kill();
				await("retries during the outage").atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 8);
				server.restart();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				if (style == Workload.WriteStyle.PIPELINE) {
					// Its SETs may run twice: a pipeline cut by the kill is sent again.
					assertThat(workload.errors()).isEmpty();
				}
				else {
					// An EXEC cut by the kill has an unknown outcome: one error per thread at most.
					assertThat(workload.errors()).hasSizeLessThanOrEqualTo(threads);
				}
				workload.assertNoAcknowledgedWriteLost(redis);
				if (style == Workload.WriteStyle.TRANSACTION) {
					workload.assertNoIncrementDuplicated(redis);
				}
			}
		});
	}

	@Test
	void incrementShouldNotBeSentTwiceWhenItsReplyTimesOut(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		// The link is slow, not dead: the silence watch would replace the connection, and the proxy drop the
		// INCR it still holds.
		standalone(proxy.port()).withPropertyValues(DiscoveryContextRunners.userWithoutDel(server))
			.withPropertyValues("redis.discovery.timeout.command=300ms")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("visits", "0");
				// The server executes the INCR, but its reply arrives after the command timeout.
				proxy.setLatency(Duration.ofMillis(600));
				assertThatExceptionOfType(QueryTimeoutException.class)
					.isThrownBy(() -> redis.opsForValue().increment("visits"));
				proxy.setLatency(Duration.ZERO);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.command("GET", "visits"))
					.isEqualTo("1"));
				assertThat(redis.opsForValue().get("visits")).isEqualTo("1");
			});
	}

	@Test
	void idempotentCommandShouldBeRetriedWhenItsReplyTimesOut(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		standalone(proxy.port()).withPropertyValues("redis.discovery.timeout.command=300ms").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("color", "blue");
			AtomicInteger retries = countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
			proxy.setLatency(Duration.ofMillis(600));
			Thread healer = new Thread(() -> {
				await().atMost(Duration.ofSeconds(5)).until(() -> retries.get() >= 1);
				proxy.setLatency(Duration.ZERO);
			});
			healer.start();
			assertThat(redis.opsForValue().get("color")).isEqualTo("blue");
			healer.join();
		});
	}

	@Test
	void wrongPasswordShouldFailAtOnceWithoutRetryStormOrSecretInMessage(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		TcpProxy proxy = lab.startProxy(server.address());
		String wrongPassword = "wrong-" + PASSWORD;
		standalone(proxy.port()).withPropertyValues("redis.discovery.password=" + wrongPassword).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			long started = System.nanoTime();
			assertThatException().isThrownBy(() -> redis.opsForValue().get("anything"))
				.satisfies((ex) -> {
					assertThat(causeMessages(ex)).contains("WRONGPASS").doesNotContain(wrongPassword);
				});
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			assertThat(proxy.acceptedConnections()).as("connection attempts").isEqualTo(1);
		});
	}

	@Test
	void rightPasswordShouldConnect(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		standalone(server.port()).withPropertyValues("redis.discovery.password=" + PASSWORD).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("k", "v");
			assertThat(redis.opsForValue().get("k")).isEqualTo("v");
		});
	}

	/**
	 * A retry waiting out a long backoff resumes when the connection comes back, not when its timer ends: the
	 * backoff here (30 s) is far longer than the outage and the deadline.
	 */
	@Test
	void retryShouldResumeAsSoonAsTheServerAcceptsAgain(RedisLab lab) throws Exception {
		RedisServer server = lab.startServer();
		standalone(server.port())
			.withPropertyValues("redis.discovery.retry.wait-duration=30s", "redis.discovery.retry.max-wait-duration=30s",
					"redis.discovery.reconnect.min-delay=20ms", "redis.discovery.reconnect.max-delay=100ms")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				server.kill();
				CompletableFuture<Void> write = new CompletableFuture<>();
				Thread writer = new Thread(() -> {
					redis.opsForValue().set("resumed", "yes");
					write.complete(null);
				});
				writer.start();
				await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
				server.restart();
				write.get(10, TimeUnit.SECONDS);
				assertThat(server.command("GET", "resumed")).isEqualTo("yes");
			});
	}

	private ApplicationContextRunner standalone(int port) {
		return this.contextRunner.withPropertyValues("redis.discovery.mode=standalone",
				"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + port);
	}

	private static String causeMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.append(current.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
