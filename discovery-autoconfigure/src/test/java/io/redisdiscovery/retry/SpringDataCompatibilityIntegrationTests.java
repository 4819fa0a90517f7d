package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueOutput;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ConnectionUtils;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisKeyExpiredEvent;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.KeyExpirationEventMessageListener;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Data Redis APIs that choose their way by the factory's and connection's types work the same with the
 * starter's factory as with Spring Boot's own, on the same {@code redis-server}.
 */
@ExtendWith(RedisLabExtension.class)
class SpringDataCompatibilityIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	@Test
	void starterFactoryShouldBeALettuceFactoryWhoseConnectionsAreLettuceConnections(RedisLab lab) {
		RedisServer server = lab.startServer();
		Factory.STARTER.runner(server.port()).run((context) -> {
			RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
			assertThat(ConnectionUtils.isLettuce(factory)).isTrue();
			assertThat(ConnectionUtils.isAsync(factory)).isTrue();
			try (RedisConnection connection = factory.getConnection()) {
				assertThat(connection).isInstanceOf(LettuceConnection.class);
				// The class-level API of LettuceConnection, with a Lettuce output of the caller's choice.
				byte[] echoed = (byte[]) ((LettuceConnection) connection).execute("ECHO",
						new ValueOutput<>(ByteArrayCodec.INSTANCE), bytes("hello"));
				assertThat(echoed).asString(StandardCharsets.UTF_8).isEqualTo("hello");
			}
		});
	}

	@Test
	void starterClusterConnectionsShouldBeLettuceClusterConnections(RedisLab lab) {
		List<String> seeds = lab.startCluster(3, 0).seedAddresses();
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster", "redis.discovery.cluster.nodes=" + String.join(",", seeds))
			.run((context) -> {
				RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
				assertThat(ConnectionUtils.isLettuce(factory)).isTrue();
				try (RedisConnection connection = factory.getConnection()) {
					assertThat(connection).isInstanceOf(LettuceClusterConnection.class);
					assertThat(factory.getClusterConnection()).isInstanceOf(LettuceClusterConnection.class);
					connection.stringCommands().set(bytes("typed"), bytes("yes"));
					assertThat(connection.stringCommands().get(bytes("typed"))).asString(StandardCharsets.UTF_8)
						.isEqualTo("yes");
				}
			});
	}

	@ParameterizedTest
	@EnumSource(Factory.class)
	void listenerContainerWithChannelsAndPatternsShouldReceiveAddListenersAndSurviveARestart(Factory variant,
			RedisLab lab) {
		RedisServer server = lab.startServer();
		variant.runner(server.port()).run((context) -> {
			RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			Queue<String> received = new ConcurrentLinkedQueue<>();
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(factory);
			container.addMessageListener((message, pattern) -> received.add("channel:" + body(message.getBody())),
					new ChannelTopic("news"));
			container.addMessageListener((message, pattern) -> received.add("pattern:" + body(message.getBody())),
					new PatternTopic("alerts.*"));
			container.afterPropertiesSet();
			container.start();
			try {
				awaitDelivered(redis, "news", "first", received, "channel:first");
				awaitDelivered(redis, "alerts.disk", "full", received, "pattern:full");
				// Adding a listener to a running container re-subscribes; it must return, not hang on a lock.
				CompletableFuture.runAsync(() -> container.addMessageListener(
						(message, pattern) -> received.add("late:" + body(message.getBody())),
						new ChannelTopic("late")))
					.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
				awaitDelivered(redis, "late", "joined", received, "late:joined");

				server.kill();
				server.restart();
				awaitDelivered(redis, "news", "after-restart", received, "channel:after-restart");
				awaitDelivered(redis, "alerts.cpu", "hot", received, "pattern:hot");

				// Nothing is left stuck: a command on the shared connection and one on a new dedicated connection.
				redis.opsForValue().set("still", "working");
				assertThat(redis.execute(transaction((operations) -> operations.opsForValue().get("still"))))
					.containsExactly("working");
			}
			finally {
				container.destroy();
			}
		});
	}

	@ParameterizedTest
	@EnumSource(Factory.class)
	void keyExpirationListenerShouldPublishExpiryEvents(Factory variant, RedisLab lab) {
		RedisServer server = lab.startServer();
		Queue<String> expired = new ConcurrentLinkedQueue<>();
		variant.runner(server.port())
			.withUserConfiguration(KeyExpirationConfiguration.class)
			.withBean(ExpiredKeys.class, () -> new ExpiredKeys(expired))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("short-lived", "v", Duration.ofMillis(100));
				await().atMost(DEADLINE).untilAsserted(() -> assertThat(expired).contains("short-lived"));
			});
	}

	@ParameterizedTest
	@EnumSource(Factory.class)
	void streamListenerContainerShouldReadAsAConsumerGroupAndAcknowledge(Factory variant, RedisLab lab) {
		RedisServer server = lab.startServer();
		variant.runner(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForStream().add("orders", Map.of("id", "0"));
			redis.opsForStream().createGroup("orders", ReadOffset.from("0"), "billing");
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> container =
					StreamMessageListenerContainer.create(context.getBean(RedisConnectionFactory.class),
							StreamMessageListenerContainerOptions.builder()
								.pollTimeout(Duration.ofMillis(500))
								.serializer(redis.getStringSerializer())
								.build());
			Queue<String> ids = new ConcurrentLinkedQueue<>();
			container.receive(Consumer.from("billing", "worker-1"),
					StreamOffset.create("orders", ReadOffset.lastConsumed()), (message) -> {
						ids.add(message.getValue().get("id"));
						redis.opsForStream().acknowledge("billing", message);
					});
			container.start();
			try {
				for (int i = 1; i <= 3; i++) {
					redis.opsForStream().add("orders", Map.of("id", Integer.toString(i)));
				}
				await().atMost(DEADLINE).untilAsserted(() -> assertThat(ids).containsExactly("0", "1", "2", "3"));
				await().atMost(DEADLINE)
					.untilAsserted(() -> assertThat(redis.opsForStream().pending("orders", "billing").getTotalPendingMessages())
						.isZero());
			}
			finally {
				container.stop();
			}
		});
	}

	/**
	 * A read between {@code WATCH} and {@code MULTI} whose connection was just cut is retried by the starter; the
	 * retry must stay on the connection that holds the watched keys, so that a concurrent change still aborts
	 * {@code EXEC}, as it does with Spring Boot's factory (where the read itself fails).
	 */
	@ParameterizedTest
	@EnumSource(Factory.class)
	void watchShouldAbortExecWhenAWatchedKeyChangedAfterAReadWasRetried(Factory variant, RedisLab lab) {
		RedisServer server = lab.startServer();
		variant.runner(server.port()).withPropertyValues("redis.discovery.reconnect.min-delay=300ms").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("balance", "10");
			List<Object> committed = redis.execute(new SessionCallback<List<Object>>() {

				@Override
				@SuppressWarnings({ "unchecked", "rawtypes" })
				public List<Object> execute(RedisOperations operations) throws DataAccessException {
					// "id=7 addr=..." of the shared connection, which reads use outside MULTI.
					String clientInfo = String.valueOf(operations
						.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("INFO"))));
					String sharedId = clientInfo.substring("id=".length(), clientInfo.indexOf(' '));
					operations.watch("balance");
					server.command("CLIENT", "KILL", "ID", sharedId);
					try {
						operations.opsForValue().get("balance");
					}
					catch (DataAccessException ex) {
						// Spring Boot's factory does not retry: the read fails, the transaction goes on.
					}
					server.command("SET", "balance", "changed-meanwhile");
					operations.multi();
					operations.opsForValue().set("balance", "0");
					return operations.exec();
				}

			});
			assertThat(committed).isEmpty();
			assertThat(server.command("GET", "balance")).isEqualTo("changed-meanwhile");
		});
	}

	private static void awaitDelivered(StringRedisTemplate redis, String channel, String message, Queue<String> received,
			String expected) {
		// Publishing until delivered: a subscription being restored after a restart misses what came before it.
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			try {
				redis.convertAndSend(channel, message);
			}
			catch (DataAccessException ex) {
				// The server may still be restarting.
			}
			assertThat(received).contains(expected);
		});
	}

	private static <T> SessionCallback<List<Object>> transaction(Function<RedisOperations<String, String>, T> work) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings("unchecked")
			public List<Object> execute(RedisOperations operations) throws DataAccessException {
				operations.multi();
				work.apply(operations);
				return operations.exec();
			}

		};
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String body(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

	/** The factory under test: Spring Boot's own, the reference, or the starter's. */
	enum Factory {

		SPRING_BOOT(DiscoveryContextRunners::withSpringBoot), STARTER(DiscoveryContextRunners::withStarter);

		private final IntFunction<ApplicationContextRunner> runner;

		Factory(IntFunction<ApplicationContextRunner> runner) {
			this.runner = runner;
		}

		ApplicationContextRunner runner(int port) {
			return this.runner.apply(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class KeyExpirationConfiguration {

		@Bean
		RedisMessageListenerContainer expiryListenerContainer(RedisConnectionFactory connectionFactory) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connectionFactory);
			return container;
		}

		@Bean
		KeyExpirationEventMessageListener keyExpirationEventMessageListener(RedisMessageListenerContainer container) {
			return new KeyExpirationEventMessageListener(container);
		}

	}

	/** Collects the keys of {@link RedisKeyExpiredEvent}s. */
	record ExpiredKeys(Queue<String> keys) implements ApplicationListener<RedisKeyExpiredEvent<?>> {

		@Override
		public void onApplicationEvent(RedisKeyExpiredEvent<?> event) {
			this.keys.add(new String(event.getSource(), StandardCharsets.UTF_8));
		}

	}

}
