package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.RetryEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reactive commands through the starter's factory follow the blocking commands' retry rules.
 */
@ExtendWith(RedisLabExtension.class)
class ReactiveStandaloneIntegrationTests {

	private static final AutoConfigurations REACTIVE = AutoConfigurations.of(DataRedisReactiveAutoConfiguration.class);

	private static final Duration BLOCK = Duration.ofSeconds(30);

	@Test
	void reactiveConnectionShouldStayASpringDataLettuceReactiveConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		starter(server.port()).run((context) -> {
			ReactiveRedisConnection connection = context.getBean(ReactiveRedisConnectionFactory.class)
				.getReactiveConnection();
			try {
				Class<?> lettuceType = ClassUtils.forName(
						"org.springframework.data.redis.connection.lettuce.LettuceReactiveRedisConnection", null);
				assertThat(connection).isInstanceOf(lettuceType);
				assertThat(connection.toString()).startsWith("Retrying(");
				assertThat(connection.ping().block(BLOCK)).isEqualTo("PONG");
			}
			finally {
				connection.closeLater().block(BLOCK);
			}
		});
	}

	@Test
	void reactiveWritesShouldSeeNoErrorWhenServerIsKilledAndRestarted(RedisLab lab) throws Exception {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		starter(server.port()).run((context) -> {
			ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
			AtomicInteger retries = RetryEvents.countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
			Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
			Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
			AtomicBoolean stop = new AtomicBoolean();
			Thread writer = new Thread(() -> {
				for (int i = 0; i < 100_000 && !stop.get(); i++) {
					String key = "reactive:" + i;
					try {
						if (Boolean.TRUE.equals(redis.opsForValue().set(key, "v" + i).block(BLOCK))) {
							acknowledged.add(key);
						}
					}
					catch (RuntimeException ex) {
						errors.add(ex);
					}
				}
			}, "reactive-writer");
			writer.start();
			try {
				await("writes before the kill").atMost(BLOCK).until(() -> acknowledged.size() >= 200);
				server.kill();
				// Restart only once the writes are demonstrably riding the outage.
				await("retries during the outage").atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 4);
				server.restart();
				int afterRestart = acknowledged.size();
				await("writes after the restart").atMost(BLOCK).until(() -> acknowledged.size() >= afterRestart + 200);
			}
			finally {
				stop.set(true);
				writer.join(BLOCK.toMillis());
			}
			assertThat(errors).isEmpty();
			assertThat(retries.get()).isGreaterThanOrEqualTo(4);
			List<String> keys = new ArrayList<>(acknowledged);
			List<String> values = redis.opsForValue().multiGet(keys).block(BLOCK);
			assertThat(values).hasSize(keys.size()).doesNotContainNull();
			for (int i = 0; i < keys.size(); i++) {
				assertThat(values.get(i)).isEqualTo("v" + keys.get(i).substring("reactive:".length()));
			}
		});
	}

	@Test
	void reactiveIncrementShouldNotBeSentTwiceWhenItsReplyTimesOut(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		// The link is slow, not dead: the silence watch would replace the connection, and the proxy drop the
		// INCR it still holds.
		starter(proxy.port()).withPropertyValues(DiscoveryContextRunners.userWithoutDel(server))
			.withPropertyValues("redis.discovery.timeout.command=300ms")
			.run((context) -> {
				ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
				AtomicInteger retries = RetryEvents.countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
				redis.opsForValue().set("visits", "0").block(BLOCK);
				// The server executes the INCR, but its reply arrives after the command timeout.
				proxy.setLatency(Duration.ofMillis(600));
				assertThatExceptionOfType(QueryTimeoutException.class)
					.isThrownBy(() -> redis.opsForValue().increment("visits").block(BLOCK));
				proxy.setLatency(Duration.ZERO);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(server.command("GET", "visits")).isEqualTo("1"));
				assertThat(redis.opsForValue().get("visits").block(BLOCK)).isEqualTo("1");
				assertThat(retries).hasValue(0);
			});
	}

	@Test
	void reactiveReadShouldBeRetriedWhenItsReplyTimesOut(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		starter(proxy.port()).withPropertyValues("redis.discovery.timeout.command=300ms").run((context) -> {
			ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
			redis.opsForValue().set("color", "blue").block(BLOCK);
			AtomicInteger retries = RetryEvents.countRetries(context.getBean("redisDiscoveryRetry", Retry.class));
			proxy.setLatency(Duration.ofMillis(600));
			Mono<String> read = redis.opsForValue().get("color");
			Thread healer = new Thread(() -> {
				await().atMost(Duration.ofSeconds(5)).until(() -> retries.get() >= 1);
				proxy.setLatency(Duration.ZERO);
			});
			healer.start();
			assertThat(read.block(BLOCK)).isEqualTo("blue");
			healer.join();
			assertThat(retries.get()).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void retryMetricsShouldCountEachReactiveOperationOnce(RedisLab lab) {
		RedisServer server = lab.startServer();
		starter(server.port()).run((context) -> {
			ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
			Retry.Metrics metrics = context.getBean("redisDiscoveryRetry", Retry.class).getMetrics();
			long before = metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt();
			redis.opsForValue().set("counted", "1").block(BLOCK);
			redis.opsForValue().get("counted").block(BLOCK);
			redis.hasKey("counted").block(BLOCK);
			redis.opsForList().rightPushAll("counted-list", "a", "b", "c").block(BLOCK);
			redis.opsForList().range("counted-list", 0, -1).collectList().block(BLOCK);
			assertThat(metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt() - before).isEqualTo(5);
		});
	}

	@Test
	void reactiveOperationsShouldAnswerLikeSpringBootsFactory(RedisLab lab) {
		RedisServer server = lab.startServer();
		List<Object> expected = new ArrayList<>();
		DiscoveryContextRunners.withSpringBoot(server.port())
			.withConfiguration(REACTIVE)
			.run((context) -> expected.addAll(exercise(context.getBean(ReactiveStringRedisTemplate.class), "boot:")));
		List<Object> actual = new ArrayList<>();
		starter(server.port())
			.run((context) -> actual.addAll(exercise(context.getBean(ReactiveStringRedisTemplate.class), "starter:")));
		assertThat(expected).hasSize(36);
		assertThat(actual).isEqualTo(expected);
	}

	/** One operation or more of each common family; results that name keys have the prefix taken off. */
	private static List<Object> exercise(ReactiveStringRedisTemplate redis, String prefix) {
		List<Object> results = new ArrayList<>();
		String string = prefix + "string";
		String counter = prefix + "counter";
		String hash = prefix + "hash";
		String list = prefix + "list";
		String set = prefix + "set";
		String zset = prefix + "zset";
		// strings
		results.add(redis.opsForValue().set(string, "hello").block(BLOCK));
		results.add(redis.opsForValue().get(string).block(BLOCK));
		results.add(redis.opsForValue().setIfAbsent(string, "other").block(BLOCK));
		results.add(redis.opsForValue().append(string, " world").block(BLOCK));
		results.add(redis.opsForValue().multiGet(List.of(string, prefix + "missing")).block(BLOCK));
		results.add(redis.opsForValue().increment(counter).block(BLOCK));
		results.add(redis.opsForValue().increment(counter, 5).block(BLOCK));
		results.add(redis.opsForValue().getAndSet(counter, "0").block(BLOCK));
		// hashes
		results.add(redis.opsForHash().put(hash, "a", "1").block(BLOCK));
		results.add(redis.opsForHash().putAll(hash, Map.of("b", "2", "c", "3")).block(BLOCK));
		results.add(redis.opsForHash().get(hash, "b").block(BLOCK));
		results.add(redis.opsForHash().increment(hash, "a", 2).block(BLOCK));
		results.add(redis.opsForHash().entries(hash).collectMap(Map.Entry::getKey, Map.Entry::getValue).block(BLOCK));
		results.add(redis.opsForHash().size(hash).block(BLOCK));
		// lists
		results.add(redis.opsForList().rightPushAll(list, "a", "b", "c").block(BLOCK));
		results.add(redis.opsForList().leftPush(list, "z").block(BLOCK));
		results.add(redis.opsForList().range(list, 0, -1).collectList().block(BLOCK));
		results.add(redis.opsForList().leftPop(list).block(BLOCK));
		results.add(redis.opsForList().size(list).block(BLOCK));
		// sets
		results.add(redis.opsForSet().add(set, "x", "y", "z").block(BLOCK));
		results.add(redis.opsForSet().isMember(set, "y").block(BLOCK));
		results.add(redis.opsForSet().members(set).collectList().map((members) -> members.stream().sorted().toList())
			.block(BLOCK));
		results.add(redis.opsForSet().remove(set, "x").block(BLOCK));
		// sorted sets
		results.add(redis.opsForZSet().add(zset, "one", 1).block(BLOCK));
		results.add(redis.opsForZSet().add(zset, "two", 2).block(BLOCK));
		results.add(redis.opsForZSet().incrementScore(zset, "one", 5).block(BLOCK));
		results.add(redis.opsForZSet().range(zset, Range.closed(0L, -1L)).collectList().block(BLOCK));
		results.add(redis.opsForZSet().score(zset, "two").block(BLOCK));
		// keys
		results.add(redis.hasKey(string).block(BLOCK));
		results.add(redis.type(hash).block(BLOCK));
		results.add(redis.expire(string, Duration.ofMinutes(5)).block(BLOCK));
		results.add(redis.getExpire(string).map((ttl) -> ttl.compareTo(Duration.ZERO) > 0).block(BLOCK));
		results.add(redis.scan(ScanOptions.scanOptions().match(prefix + "*").build())
			.map((key) -> key.substring(prefix.length()))
			.sort()
			.collectList()
			.block(BLOCK));
		results.add(redis.rename(counter, prefix + "renamed").block(BLOCK));
		results.add(redis.delete(string, hash).block(BLOCK));
		results.add(Flux.merge(redis.delete(list), redis.delete(set, zset, prefix + "renamed"))
			.reduce(0L, Long::sum)
			.block(BLOCK));
		return results;
	}

	private static ApplicationContextRunner starter(int port) {
		return DiscoveryContextRunners.withStarter(port).withConfiguration(REACTIVE);
	}

}
