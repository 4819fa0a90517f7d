package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blocking commands through the starter behave as through Spring Boot's own connection factory, although the
 * starter's command timeout (2 s) is shorter than their block time. Spring Boot's factory keeps Spring Data Redis'
 * default timeout of 60 s, longer than every block time here.
 */
@ExtendWith(RedisLabExtension.class)
class BlockingCommandIntegrationTests {

	/** Longer than the starter's 2 s command timeout, shorter than the block times below. */
	private static final Duration PUSH_AFTER = Duration.ofMillis(2500);

	@Test
	void leftPopShouldReturnElementPushedAfterCommandTimeout(RedisLab lab) {
		RedisServer server = lab.startServer();
		forBothFactories(server, (name, context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String key = "queue-" + name;
			long started = System.nanoTime();
			CompletableFuture<Void> push = pushWhenBlocked(server, "LPUSH", key, "job");
			String popped = redis.opsForList().leftPop(key, Duration.ofSeconds(5));
			push.join();
			assertThat(popped).as(name).isEqualTo("job");
			assertThat(elapsedSince(started)).as(name).isGreaterThanOrEqualTo(PUSH_AFTER);
			assertThat(server.command("LLEN", key)).as(name).isEqualTo(0L);
		});
	}

	@Test
	void streamReadWithBlockShouldReturnEntryAddedAfterCommandTimeout(RedisLab lab) {
		RedisServer server = lab.startServer();
		forBothFactories(server, (name, context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String key = "events-" + name;
			long started = System.nanoTime();
			CompletableFuture<Void> add = pushWhenBlocked(server, "XADD", key, "*", "kind", "late");
			List<MapRecord<String, Object, Object>> records = redis.opsForStream()
				.read(StreamReadOptions.empty().block(Duration.ofSeconds(4)),
						StreamOffset.create(key, ReadOffset.latest()));
			add.join();
			assertThat(records).as(name).singleElement().satisfies((record) -> assertThat(record.getValue())
				.containsEntry("kind", "late"));
			assertThat(elapsedSince(started)).as(name).isGreaterThanOrEqualTo(PUSH_AFTER);
		});
	}

	@Test
	void streamListenerContainerShouldReceiveEntriesWithoutErrorsWhenPollOutlastsCommandTimeout(RedisLab lab) {
		RedisServer server = lab.startServer();
		forBothFactories(server, (name, context) -> {
			RedisConnectionFactory connectionFactory = context.getBean(RedisConnectionFactory.class);
			String key = "orders-" + name;
			server.command("XGROUP", "CREATE", key, "shipping", "$", "MKSTREAM");
			List<Throwable> errors = new CopyOnWriteArrayList<>();
			List<MapRecord<String, String, String>> received = new CopyOnWriteArrayList<>();
			StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options = StreamMessageListenerContainerOptions
				.builder()
				.pollTimeout(Duration.ofSeconds(3))
				.errorHandler(errors::add)
				.build();
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> container = StreamMessageListenerContainer
				.create(connectionFactory, options);
			container.receiveAutoAck(Consumer.from("shipping", "worker-1"),
					StreamOffset.create(key, ReadOffset.lastConsumed()), received::add);
			container.start();
			try {
				// The entry arrives while the first poll has been waiting on the server for longer than the
				// starter's command timeout; a poll given up by the client would take it and lose it.
				pushWhenBlocked(server, "XADD", key, "*", "order", "1").join();
				await("the entry to arrive").atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
				// Redis counts a blocked command when it ends: one more means that a poll that found nothing ran
				// its full 3 s.
				long polls = commandCalls(server, "xreadgroup");
				await("an empty poll to end").atMost(Duration.ofSeconds(10))
					.until(() -> commandCalls(server, "xreadgroup") > polls);
				assertThat(received).as(name).singleElement().satisfies((record) -> assertThat(record.getValue())
					.containsEntry("order", "1"));
				assertThat(errors).as(name).isEmpty();
			}
			finally {
				container.stop();
			}
		});
	}

	@Test
	void longBlockingPopsShouldLeaveSharedConnectionOfOtherThreadsAlone(RedisLab lab) {
		RedisServer server = lab.startServer();
		forBothFactories(server, (name, context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			LettuceConnectionFactory lettuce = lettuceFactory(context.getBean(RedisConnectionFactory.class));
			redis.opsForValue().set("counter-" + name, "0");
			Object sharedBefore = sharedNativeConnection(lettuce);
			AtomicBoolean popping = new AtomicBoolean(true);
			AtomicInteger otherCommands = new AtomicInteger();
			List<Throwable> otherErrors = new CopyOnWriteArrayList<>();
			Thread other = new Thread(() -> {
				while (popping.get()) {
					try {
						redis.opsForValue().increment("counter-" + name);
						otherCommands.incrementAndGet();
						// Steady traffic, without spinning a core shared with the server.
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
					}
					catch (RuntimeException ex) {
						otherErrors.add(ex);
					}
				}
			});
			other.start();
			long started = System.nanoTime();
			try {
				// Each pop outlasts two command timeouts, the starter's rule for a stalled connection.
				assertThat(redis.opsForList().leftPop("empty-" + name, Duration.ofSeconds(5))).as(name).isNull();
				assertThat(redis.opsForList().rightPop("empty-" + name, Duration.ofSeconds(5))).as(name).isNull();
			}
			finally {
				popping.set(false);
				other.join(TimeUnit.SECONDS.toMillis(10));
			}
			assertThat(elapsedSince(started)).as(name).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
			assertThat(otherErrors).as(name).isEmpty();
			assertThat(otherCommands.get()).as(name).isPositive();
			assertThat(redis.opsForValue().get("counter-" + name)).as(name)
				.isEqualTo(String.valueOf(otherCommands.get()));
			assertThat(sharedNativeConnection(lettuce)).as(name).isSameAs(sharedBefore);
		});
	}

	/**
	 * Runs the scenario against Spring Boot's own connection factory, then against the starter's, both pointed at the
	 * same server.
	 */
	private static void forBothFactories(RedisServer server, Scenario scenario) {
		Map<String, ApplicationContextRunner> runners = Map.of("spring-boot",
				new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
					.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port()),
				"starter",
				DiscoveryContextRunners.withStarter()
					.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
							"redis.discovery.standalone.port=" + server.port(), "redis.discovery.timeout.command=2s"));
		for (String name : List.of("spring-boot", "starter")) {
			// A closed context's connections let go of their blocked commands: the next run starts with none.
			await("no blocked client").atMost(Duration.ofSeconds(10)).until(() -> blockedClients(server) == 0);
			runners.get(name).run((ContextConsumer<AssertableApplicationContext>) (context) -> {
				assertThat(context).hasNotFailed();
				scenario.run(name, context);
			});
		}
	}

	/**
	 * Sends the command once a client is blocked on the server and then longer than the starter's command timeout.
	 */
	private static CompletableFuture<Void> pushWhenBlocked(RedisServer server, String... command) {
		return CompletableFuture.runAsync(() -> await("the blocking command to reach the server")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> blockedClients(server) >= 1))
			// Waiting out the command timeout is the scenario, not what is asserted. The clock starts once the
			// server holds the command: opening the dedicated connection before it takes a varying time.
			.thenRunAsync(() -> server.command(command),
					CompletableFuture.delayedExecutor(PUSH_AFTER.toMillis(), TimeUnit.MILLISECONDS));
	}

	private static int blockedClients(RedisServer server) {
		String value = server.infoValue("clients", "blocked_clients");
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	private static long commandCalls(RedisServer server, String command) {
		// cmdstat_xreadgroup:calls=3,usec=...
		String value = server.infoValue("commandstats", "cmdstat_" + command);
		if (value == null) {
			return 0;
		}
		String calls = value.substring(value.indexOf("calls=") + 6);
		return Long.parseLong(calls.substring(0, calls.indexOf(',')));
	}

	private static Duration elapsedSince(long started) {
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private static LettuceConnectionFactory lettuceFactory(RedisConnectionFactory factory) {
		return (LettuceConnectionFactory) factory;
	}

	private static Object sharedNativeConnection(LettuceConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			return connection.getNativeConnection();
		}
	}

	@FunctionalInterface
	private interface Scenario {

		void run(String name, AssertableApplicationContext context) throws Exception;

	}

}
