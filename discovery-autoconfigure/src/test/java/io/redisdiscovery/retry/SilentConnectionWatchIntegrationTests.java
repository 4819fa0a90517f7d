package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.resilience4j.retry.Retry;
import io.lettuce.core.RedisCommandTimeoutException;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.NewsSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shared connection whose peer went silent is replaced long before its commands time out, once a new connection
 * shows the server answers; a server that merely pauses writes, or is busy, keeps its connection. The command timeout
 * is mostly 20 s or more, so a write that waits for it misses the deadlines; the watch acts after a quarter of it, or
 * after {@link SilentConnectionWatch#QUICK_SILENCE} for a Redis command on a key.
 */
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
class SilentConnectionWatchIntegrationTests {

	// The watch probes a command without a key 5 s after it began (a quarter of the 20 s timeout); a write that waited
	// for the command timeout would take over 20 s. The margin is for a loaded machine: one CI run missed 12 s.
	private static final Duration DEADLINE = Duration.ofSeconds(16);

	/** Keeps the server busy for 400 ms (the clock is read through TIME, which scripts may call). */
	private static final String BUSY_400_MS = """
			local function now() local t = redis.call('TIME') return t[1] * 1000000 + t[2] end
			local start = now()
			while now() - start < 400000 do end
			return 1
			""";

	@Test
	void aKeylessCommandShouldLeaveASilentPathBeforeItTimesOut(RedisLab lab) {
		onASilencedPath(lab, "20s", (path) -> {
			// No key, so no quick probe: the watch waits for a quarter of the command timeout.
			CompletableFuture<Long> size = CompletableFuture.supplyAsync(() -> path.redis()
				.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().dbSize()));
			await("a command without a key on a silent path").atMost(DEADLINE).until(size::isDone);
			assertThat(size.join()).isEqualTo(1L);
		});
	}

	@Test
	void aWriteBehindAFrozenBalancerBackendShouldNotWaitForTheHedgeDelay(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy frozen = lab.startProxy("127.0.0.2", server.address());
		TcpProxy healthy = lab.startProxy("127.0.0.3", server.address());
		TcpProxy balancer = lab.startProxy(frozen.address(), healthy.address());
		healthy.refuseNewConnections(true);
		// A hedge delay of 10 s (a tenth of the timeouts) and a quick silence of 30 ms. The balancer takes turns, so
		// of the probe's dial and the new shared connection's, one lands on the frozen backend: without racing both
		// dials at once, the write would wait 10 s for its hedge. Racing, it takes well under a second; the deadline
		// leaves room for a loaded machine (2.5 s was missed once on CI). The pool (commons-pool2 is on the class path)
		// makes a replacement while the shared connection dials again: with commons-pool2 2.13 (Boot 4.1), one run in
		// five waited 10 s, until a race whose dials both went to the frozen backend dialed again.
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port(), "redis.discovery.timeout.command=100s",
					"redis.discovery.timeout.connect=100s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				healthy.refuseNewConnections(false);
				// The backend every connection is on freezes; its health check would still pass.
				frozen.blackhole(true);
				CompletableFuture<Void> write = CompletableFuture.runAsync(() -> redis.opsForValue().set("after", "2"));
				await("a write while the backend is frozen").atMost(Duration.ofSeconds(6)).until(write::isDone);
				write.join();
				assertThat(server.command("GET", "after")).isEqualTo("2");
				frozen.blackhole(false);
			});
	}

	@Test
	void aCommandOnAKeyShouldLeaveASilentPathLongBeforeAQuarterOfTheTimeout(RedisLab lab, CapturedOutput output) {
		onASilencedPath(lab, "40s", (path) -> {
			CompletableFuture<Void> write = CompletableFuture
				.runAsync(() -> path.redis().opsForValue().set("after", "2"));
			// A quarter of the command timeout is 10 s; the quick silence is 30 ms.
			await("a write on a silent path").atMost(Duration.ofSeconds(6)).until(write::isDone);
			write.join();
			assertThat(path.server().command("GET", "after")).isEqualTo("2");
			// The shared connection is released once, by its holder. Checked before the context closes: the client's
			// shutdown closes every connection it still counts, one still closing too, and then warns itself.
			assertThat(output).doesNotContain("Connection is already closed");
		});
	}

	@Test
	void aPipelineOnAPooledConnectionShouldLeaveASilentPathBeforeItTimesOut(RedisLab lab, CapturedOutput output) {
		// The pipeline before the silence leaves its connection idle in the pool (commons-pool2 is on the class path),
		// so the pipeline after it borrows that connection, whose path is silent.
		onASilencedPath(lab, "40s", (redis) -> pipelineOfSets(redis, "before"), (path) -> {
			CompletableFuture<List<Object>> pipeline = CompletableFuture
				.supplyAsync(() -> pipelineOfSets(path.redis(), "after"));
			// As for the shared connection: a quarter of the command timeout is 10 s, the quick silence 30 ms.
			await("a pipeline on a silent pooled connection").atMost(Duration.ofSeconds(6)).until(pipeline::isDone);
			assertThat(pipeline.join()).hasSize(3);
			assertThat(path.server().command("GET", "after:2")).isEqualTo("2");
			// The watch closed the lent connection; the pool, emptied, does not close it a second time (checked before
			// the context closes, as above).
			assertThat(output).doesNotContain("Connection is already closed");
		});
	}

	@Test
	void aTransactionOnAPooledConnectionShouldLeaveASilentPathBeforeItTimesOut(RedisLab lab) {
		onASilencedPath(lab, "40s", (redis) -> transactionOfSets(redis, "before"), (path) -> {
			CompletableFuture<List<Object>> transaction = CompletableFuture
				.supplyAsync(() -> transactionOfSets(path.redis(), "after"));
			// MULTI, which any server answers at once, is probed for after the quick silence, not a quarter of the
			// timeout (10 s); nothing was queued yet, so the retry begins the transaction again on a new connection.
			await("a transaction on a silent pooled connection").atMost(Duration.ofSeconds(6))
				.until(transaction::isDone);
			assertThat(transaction.join()).containsExactly(true, true);
			assertThat(path.server().command("GET", "after:b")).isEqualTo("2");
		});
	}

	@Test
	void aSubscriberOnASilentPathShouldBeSubscribedAgainOnOneThatAnswers(RedisLab lab) {
		subscribedOnASilencedPath(lab, NewsSubscription::listenerContainer);
	}

	@Test
	void aReactiveSubscriberOnASilentPathShouldBeSubscribedAgainOnOneThatAnswers(RedisLab lab) {
		subscribedOnASilencedPath(lab, NewsSubscription::reactiveListenerContainer);
	}

	@Test
	void aSubscriberWhoseReconnectLandsOnAFrozenBackendShouldNotWaitForItsHandshakeTimeout(RedisLab lab,
			CapturedOutput output) {
		subscribedBehindABalancerWhoseNextDialFreezes(lab, output,
				NewsSubscription::listenerContainer);
	}

	@Test
	void aReactiveSubscriberWhoseReconnectLandsOnAFrozenBackendShouldNotWaitForItsHandshakeTimeout(RedisLab lab,
			CapturedOutput output) {
		subscribedBehindABalancerWhoseNextDialFreezes(lab, output,
				NewsSubscription::reactiveListenerContainer);
	}

	@Test
	void aCommandTimeoutUnderASecondShouldStillBeWatched(RedisLab lab) {
		onASilencedPath(lab, "800ms", (path) -> {
			path.redis().opsForValue().set("after", "2");
			assertThat(path.server().command("GET", "after")).isEqualTo("2");
			// Without the watch the write would time out twice on the silent path before the connection is replaced.
			assertThat(path.retried()).isNotEmpty()
				.noneMatch((failure) -> CauseChain.find(failure, RedisCommandTimeoutException.class) != null);
		});
	}

	@Test
	void aCommandThatKeepsTheServerBusyShouldKeepItsConnection(RedisLab lab) {
		keepsItsSharedConnection(lab.startServer(), (redis) -> {
			// Thirteen quick silences without a byte read; the probe, on the same slot, waits for the server too.
			Long busy = redis.execute(RedisScript.of(BUSY_400_MS, Long.class), List.of("busy"));
			assertThat(busy).isEqualTo(1L);
		});
	}

	@Test
	void aSlowLinkShouldCostAFewProbesNotOnePerCommand(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy slowLink = lab.startProxy("127.0.0.2", server.address());
		standaloneBehind(slowLink).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("before", "1");
			Object shared = sharedConnection(redis);
			// A round trip of at least 80 ms, above the quick silence; every probe's dial goes through it too.
			slowLink.setLatency(Duration.ofMillis(40));
			long dialsBefore = slowLink.acceptedConnections();
			for (int i = 0; i < 40; i++) {
				redis.opsForValue().set("slow", Integer.toString(i));
			}
			// Each probe that finds the connection answering doubles its quick silence: 30, 60, 120, 240, 480,
			// then the full 500 ms, so at most five probes (in standalone mode of one dial each; a balancer's race
			// two).
			assertThat(slowLink.acceptedConnections() - dialsBefore).as("probe dials").isLessThanOrEqualTo(10);
			assertThat(sharedConnection(redis)).as("the shared connection").isSameAs(shared);
		});
	}

	@Test
	void aFrozenStandaloneServerShouldBeDialedOnceAtATime(RedisLab lab, CapturedOutput output) {
		RedisServer server = lab.startServer();
		TcpProxy host = lab.startProxy("127.0.0.2", server.address());
		standaloneBehind(host).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("before", "1");
			long dialsBefore = host.acceptedConnections();
			server.freeze();
			AtomicBoolean frozen = new AtomicBoolean(true);
			CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
				while (frozen.get()) {
					try {
						redis.opsForValue().set("during", "2");
					}
					catch (RuntimeException ex) {
						// Timed out while frozen; the guard counts it.
					}
				}
			});
			try {
				// Two command timeouts, then the guard's PING: about 4.5 s frozen, in which the watch probes
				// the silent connection again and again.
				await("the guard's decision").atMost(Duration.ofSeconds(30))
					.until(() -> output.toString().contains("A new Redis connection does not answer either"));
			}
			finally {
				server.thaw();
				frozen.set(false);
			}
			writes.get(30, TimeUnit.SECONDS);
			// Every dial made while frozen waits in the server's accept queue, to be set up when it thaws. One
			// probe after another, each dial cut short after 200 ms (a tenth of the timeout): about 24 dials, the
			// guard's PING included. Racing four dials per probe, as behind a balancer, made 68.
			assertThat(host.acceptedConnections() - dialsBefore).as("dials while frozen").isLessThanOrEqualTo(40);
			redis.opsForValue().set("after", "3");
			assertThat(server.command("GET", "after")).isEqualTo("3");
		});
	}

	@Test
	void aServerPausingWritesShouldKeepItsConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		keepsItsSharedConnection(server, (redis) -> {
			// Three times the watch's silence (500 ms): a PING on a new connection would be answered at once.
			server.command("CLIENT", "PAUSE", "1500", "WRITE");
			redis.opsForValue().set("during", "2");
			assertThat(server.command("GET", "during")).isEqualTo("2");
		});
	}

	/**
	 * Subscribes to "news" in a starter application, silences every current connection (new ones work), and expects
	 * a message published afterwards to arrive. The reconnect delay is 5 s: the message arrives within 4 s only if the
	 * replaced channel is reconnected at once.
	 */
	/** Standalone mode on the lab proxy bound to 127.0.0.2, with a 2 s command timeout. */
	private static ApplicationContextRunner standaloneBehind(TcpProxy host) {
		return DiscoveryContextRunners.withStarter(host.port())
			.withPropertyValues("redis.discovery.standalone.host=127.0.0.2", "redis.discovery.timeout.command=2s");
	}

	private static void subscribedOnASilencedPath(RedisLab lab,
			Function<ApplicationContext, NewsSubscription> subscribe) {
		RedisServer server = lab.startServer();
		TcpProxy host = lab.startProxy("127.0.0.2", server.address());
		DiscoveryContextRunners.withStarter(host.port())
			.withPropertyValues("redis.discovery.standalone.host=127.0.0.2", "redis.discovery.timeout.command=2s",
					"redis.discovery.reconnect.min-delay=5s", "redis.discovery.reconnect.max-delay=60s")
			.run((context) -> {
				try (NewsSubscription subscription = subscribe.apply(context)) {
					await("the subscription").atMost(DEADLINE)
						.until(() -> publish(server, "before") > 0 && subscription.received().test("before"));
					// No command waits on a subscriber, and TCP keepalive cannot see this silence: the path's far end
					// still acknowledges, it only forwards nothing. Messages published meanwhile are lost (Pub/Sub
					// delivers at most once), so the test publishes until one arrives.
					host.silenceConnections();
					await("a message on a new subscription").atMost(Duration.ofSeconds(4))
						.until(() -> publish(server, "after") > 0 && subscription.received().test("after"));
				}
			});
	}

	/**
	 * Subscribes to "news" in a starter application behind a balancer that takes turns between two backends, silences
	 * every current connection, and freezes the backend the subscriber's reconnect lands on; expects a message
	 * published afterwards to arrive long before the reconnect's handshake would time out.
	 */
	private static void subscribedBehindABalancerWhoseNextDialFreezes(RedisLab lab, CapturedOutput output,
			Function<ApplicationContext, NewsSubscription> subscribe) {
		RedisServer server = lab.startServer();
		TcpProxy healthy = lab.startProxy("127.0.0.2", server.address());
		TcpProxy frozen = lab.startProxy("127.0.0.3", server.address());
		frozen.blackhole(true);
		TcpProxy balancer = lab.startProxy(healthy.address());
		// Timeouts of 8 s: the subscriber is sent a PING after 2 s without a byte, and a handshake waits 8 s unless cut
		// short after the hedge delay, 800 ms.
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port(), "redis.discovery.timeout.command=8s",
					"redis.discovery.timeout.connect=8s")
			.run((context) -> {
				try (NewsSubscription subscription = subscribe.apply(context)) {
					await("the subscription").atMost(DEADLINE)
						.until(() -> publish(server, "before") > 0 && subscription.received().test("before"));
					// The balancer takes turns. The silence probe dials twice at once, one to each backend, so the
					// next single dial, Lettuce's reconnect of the subscriber, goes where the next one would go now:
					// the frozen backend is put there.
					boolean frozenNext = balancer.acceptedConnections() % 2 == 0;
					balancer.setBackends(frozenNext ? frozen.address() : healthy.address(),
							frozenNext ? healthy.address() : frozen.address());
					healthy.silenceConnections();
					// About 3 s with the handshake cut short: 2 s of silence, the PING's quick silence, the probe, then
					// 800 ms on the frozen backend; 10 s if the reconnect waits for its handshake timeout.
					await("a message on a new subscription").atMost(Duration.ofSeconds(6))
						.until(() -> publish(server, "after") > 0 && subscription.received().test("after"));
					assertThat(frozen.acceptedConnections()).as("dials that landed on the frozen backend").isPositive();
					// Failed as a handshake timeout, which Lettuce reconnects after, not as a connection closed during
					// the handshake, a protocol failure after which it may suspend reconnecting (an option).
					assertThat(output).contains("Handshake not done within 800 ms")
						.doesNotContain("Connection closed prematurely");
				}
			});
	}

	private static long publish(RedisServer server, String message) {
		return (Long) server.command("PUBLISH", NewsSubscription.CHANNEL, message);
	}

	/**
	 * Runs {@code test} in a starter application on {@code server} with a 2 s command timeout, and checks that the
	 * application kept its shared connection.
	 */
	private static void keepsItsSharedConnection(RedisServer server, Consumer<StringRedisTemplate> test) {
		DiscoveryContextRunners.withStarter(server.port())
			.withPropertyValues("redis.discovery.timeout.command=2s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				Object shared = sharedConnection(redis);
				test.accept(redis);
				assertThat(sharedConnection(redis)).as("the shared connection").isSameAs(shared);
			});
	}

	/**
	 * Runs {@code test} once every connection of a starter application to a standalone server went silent (new ones
	 * work).
	 */
	private static void onASilencedPath(RedisLab lab, String commandTimeout, Consumer<SilencedPath> test) {
		onASilencedPath(lab, commandTimeout, (redis) -> redis.opsForValue().set("before", "1"), test);
	}

	/**
	 * Runs {@code test} once every connection of a starter application to a standalone server went silent (new ones
	 * work), the connections being those {@code before} left open.
	 */
	private static void onASilencedPath(RedisLab lab, String commandTimeout, Consumer<StringRedisTemplate> before,
			Consumer<SilencedPath> test) {
		RedisServer server = lab.startServer();
		TcpProxy host = lab.startProxy("127.0.0.2", server.address());
		DiscoveryContextRunners.withStarter(host.port())
			.withPropertyValues("redis.discovery.standalone.host=127.0.0.2",
					"redis.discovery.timeout.command=" + commandTimeout)
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				before.accept(redis);
				Queue<Throwable> retried = new ConcurrentLinkedQueue<>();
				context.getBean("redisDiscoveryRetry", Retry.class)
					.getEventPublisher()
					.onRetry((event) -> retried.add(event.getLastThrowable()));
				host.silenceConnections();
				test.accept(new SilencedPath(redis, server, retried));
			});
	}

	/**
	 * An application whose connections to {@code server} went silent.
	 *
	 * @param redis its template
	 * @param server the server, which new connections reach
	 * @param retried the failures of the attempts its retry repeated
	 */
	private record SilencedPath(StringRedisTemplate redis, RedisServer server, Queue<Throwable> retried) {

	}

	/** Sets {@code prefix:0} to {@code prefix:2} in a pipeline, which runs on a dedicated connection. */
	private static List<Object> pipelineOfSets(StringRedisTemplate redis, String prefix) {
		return redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (int i = 0; i < 3; i++) {
				connection.stringCommands()
					.set((prefix + ":" + i).getBytes(StandardCharsets.UTF_8),
							Integer.toString(i).getBytes(StandardCharsets.UTF_8));
			}
			return null;
		});
	}

	/** Sets {@code prefix:a} and {@code prefix:b} in a transaction, which runs on a dedicated connection. */
	private static List<Object> transactionOfSets(StringRedisTemplate redis, String prefix) {
		return redis.execute(new SessionCallback<List<Object>>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> List<Object> execute(RedisOperations<K, V> operations) {
				operations.multi();
				operations.opsForValue().set((K) (prefix + ":a"), (V) "1");
				operations.opsForValue().set((K) (prefix + ":b"), (V) "2");
				return operations.exec();
			}

		});
	}

	private static Object sharedConnection(StringRedisTemplate redis) {
		return redis.execute((RedisCallback<Object>) RedisConnection::getNativeConnection);
	}

}
