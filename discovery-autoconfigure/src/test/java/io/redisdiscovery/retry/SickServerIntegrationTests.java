package io.redisdiscovery.retry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.resilience4j.retry.Retry;
import io.lettuce.core.protocol.RedisProtocolException;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Servers that are up but unwell: slow, still loading their data, or sending garbage; and many connect/fail
 * cycles. Checks that the application either rides through or gets a clear, bounded failure, and that nothing
 * leaks.
 */
@ExtendWith(RedisLabExtension.class)
class SickServerIntegrationTests {

	private static final int LOADING_KEYS = 10_000;

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void slowServerShouldTimeOutCommandsWithoutLeakingThreadsOrConnections(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		standalone(proxy.port())
			.withPropertyValues("redis.discovery.timeout.command=200ms", "redis.discovery.retry.max-attempts=2",
					"redis.discovery.retry.wait-duration=10ms")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				// The first handshake of a cold JVM on a busy machine may itself take longer than 200 ms.
				await("first write").atMost(Duration.ofSeconds(10))
					.ignoreExceptions()
					.untilAsserted(() -> redis.opsForValue().set("slow", "value"));
				slowThenHealthy(redis, proxy, 5);
				ResourceCounts before = ResourceCounts.now();
				// While the link is slow, reconnects fail in their handshake: only a recovery in between lets a
				// replaced connection that was not closed pile up.
				for (int i = 0; i < 5; i++) {
					slowThenHealthy(redis, proxy, 4);
				}
				await("threads, descriptors and proxied connections back to their level").atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> {
						ResourceCounts.now().assertNotAbove(before);
						assertThat(proxy.activeConnections()).isLessThanOrEqualTo(2);
					});
			});
	}

	@Test
	void serverRestartedAndStillLoadingShouldNotSurfaceErrors(RedisLab lab) {
		RedisServer server = slowLoadingServer(lab);
		server.command("SAVE");
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThat(redis.opsForValue().get("preload:0")).isEqualTo("v");
			server.kill();
			try (Workload workload = new Workload(redis, "restart-loading").start(4)) {
				// Returns once the server has loaded its data; reconnects meanwhile met LOADING in their handshake.
				server.restart();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
			assertThat(redis.opsForValue().get("preload:" + (LOADING_KEYS - 1))).isEqualTo("v");
		});
	}

	@Test
	void loadingRepliesOnAnOpenConnectionShouldBeRetriedNotSurfaced(RedisLab lab) {
		RedisServer server = slowLoadingServer(lab);
		standalone(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			Queue<String> retried = new ConcurrentLinkedQueue<>();
			context.getBean("redisDiscoveryRetry", Retry.class)
				.getEventPublisher()
				.onRetry((event) -> retried.add(rootCause(event.getLastThrowable())));
			try (Workload workload = new Workload(redis, "reload").start(4)) {
				workload.awaitProgress(100, Duration.ofSeconds(30));
				// Saves, empties and reloads the dataset, answering LOADING to the open connection meanwhile.
				server.command("DEBUG", "RELOAD");
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
			assertThat(retried).anySatisfy((failure) -> assertThat(failure).contains("LOADING"));
		});
	}

	/**
	 * A server with a dataset that takes about a second to load, serving clients (with LOADING) while it loads.
	 */
	private static RedisServer slowLoadingServer(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults()
			.withConfig("key-load-delay 100", "loading-process-events-interval-bytes 1024",
					"enable-debug-command local"));
		for (int batch = 0; batch < LOADING_KEYS / 1000; batch++) {
			int first = batch * 1000;
			server.command(Stream
				.concat(Stream.of("MSET"),
						IntStream.range(first, first + 1000).boxed().flatMap((i) -> Stream.of("preload:" + i, "v")))
				.toArray(String[]::new));
		}
		return server;
	}

	@Test
	void garbageFromTheServerShouldReplaceTheConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		standalone(proxy.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "garbage").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				long accepted = proxy.acceptedConnections();
				proxy.injectGarbage();
				await("a new connection replaces the corrupted one").atMost(Duration.ofSeconds(10))
					.until(() -> proxy.acceptedConnections() > accepted);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).extracting(SickServerIntegrationTests::rootCause).isEmpty();
				// An INCR whose reply was garbled may have been applied: it is reported, never resent. So is one that
				// was in flight behind it on the same connection when that connection went away: Lettuce cancels it
				// with "Connection closed" when the starter closes it, or "Connection disconnected" when the channel
				// drops first (a race between the workload's threads).
				assertThat(workload.incrementErrors()).extracting(SickServerIntegrationTests::rootCause)
					.allSatisfy((cause) -> assertThat(cause).satisfiesAnyOf(
							(text) -> assertThat(text).startsWith(RedisProtocolException.class.getName()),
							(text) -> assertThat(text).isIn("io.lettuce.core.RedisException: Connection closed",
									"io.lettuce.core.RedisException: Connection disconnected")));
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	/**
	 * 200 cycles by default: a leak of one thread or descriptor per cycle shows after a handful. Run
	 * {@code -Dreliability.cycles=1000} for the 1,000.
	 */
	@Test
	void connectFailCyclesShouldLeakNothing(RedisLab lab) {
		int count = Integer.getInteger("reliability.cycles", 200);
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		standalone(proxy.port())
			.withPropertyValues("redis.discovery.client-name=cycles", "redis.discovery.reconnect.min-delay=1ms",
					"redis.discovery.reconnect.max-delay=10ms", "redis.discovery.retry.wait-duration=5ms",
					"redis.discovery.retry.max-wait-duration=50ms", "redis.discovery.retry.max-attempts=20")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				cycles(redis, proxy, 50);
				ResourceCounts before = ResourceCounts.now();
				long clientsBefore = clients(server);
				long acceptedBefore = proxy.acceptedConnections();
				cycles(redis, proxy, count);
				assertThat(proxy.acceptedConnections() - acceptedBefore).isGreaterThanOrEqualTo(count);
				await("threads, descriptors and server clients back to their level").atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> {
						ResourceCounts.now().assertNotAbove(before);
						assertThat(clients(server)).isLessThanOrEqualTo(clientsBefore);
					});
			});
	}

	private static void cycles(StringRedisTemplate redis, TcpProxy proxy, int count) {
		for (int i = 0; i < count; i++) {
			proxy.killConnections();
			redis.opsForValue().set("cycle", Integer.toString(i));
		}
	}

	private static String rootCause(@Nullable Throwable failure) {
		Throwable root = failure;
		while (root != null && root.getCause() != null) {
			root = root.getCause();
		}
		return String.valueOf(root);
	}

	private static long clients(RedisServer server) {
		String list = String.valueOf(server.command("CLIENT", "LIST"));
		return list.lines().filter((line) -> line.contains("name=cycles")).count();
	}

	private static void slowThenHealthy(StringRedisTemplate redis, TcpProxy proxy, int timeouts) {
		proxy.setLatency(Duration.ofMillis(600));
		timeOut(redis, timeouts);
		proxy.setLatency(Duration.ZERO);
		await("commands answered again").atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(redis.opsForValue().get("slow")).isEqualTo("value"));
	}

	private static void timeOut(StringRedisTemplate redis, int times) {
		for (int i = 0; i < times; i++) {
			// A reconnect through the slow link times out in its handshake instead.
			assertThatException().isThrownBy(() -> redis.opsForValue().get("slow"))
				.isInstanceOfAny(QueryTimeoutException.class, RedisConnectionFailureException.class);
		}
	}

	private ApplicationContextRunner standalone(int port) {
		return this.contextRunner.withPropertyValues("redis.discovery.mode=standalone",
				"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + port);
	}

	/**
	 * Live threads and open file descriptors of this JVM.
	 */
	private record ResourceCounts(int threads, long fileDescriptors) {

		/** Allowance for JVM and test-framework housekeeping unrelated to the code under test. */
		private static final int SLACK = 2;

		static ResourceCounts now() {
			try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
				return new ResourceCounts(Thread.activeCount(), fds.count());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void assertNotAbove(ResourceCounts before) {
			assertThat(this.threads).as("live threads").isLessThanOrEqualTo(before.threads + SLACK);
			assertThat(this.fileDescriptors).as("open file descriptors")
				.isLessThanOrEqualTo(before.fileDescriptors + SLACK);
		}

	}

}
