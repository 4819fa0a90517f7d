package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.data.domain.Range;
import org.springframework.data.geo.Circle;
import org.springframework.data.geo.Distance;
import org.springframework.data.geo.Metrics;
import org.springframework.data.geo.Point;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The conformance suite: the same operations, once through Spring Boot's own factory and once through the starter's,
 * on the same lab server (flushed in between), must give the same results. Each family of commands Spring Data Redis
 * offers is covered through the template, transactions and pipelines, the reactive template and Spring Cache; in
 * cluster mode, the operations whose keys live in different slots, which Spring Data emulates across nodes. Pub/Sub,
 * stream listener containers and {@code WATCH} are in {@link SpringDataCompatibilityIntegrationTests}, Spring Session
 * in {@link SpringSessionConformanceIntegrationTests}.
 */
@ExtendWith(RedisLabExtension.class)
class ConformanceIntegrationTests {

	private static final Duration BLOCK = Duration.ofSeconds(1);

	@Test
	void standaloneOperationsShouldGiveSpringBootsResults(RedisLab lab) {
		RedisServer server = lab.startServer();
		Map<String, Object> boot = run(DiscoveryContextRunners.withSpringBoot(server.port()), standaloneSteps());
		server.command("FLUSHALL");
		Map<String, Object> starter = run(DiscoveryContextRunners.withStarter(server.port()), standaloneSteps());

		assertThat(boot).hasSameSizeAs(standaloneSteps())
			.containsEntry("strings: incr", 11L)
			.containsEntry("lists: blocking pop", "b")
			.containsEntry("scripts: evalsha", 42L)
			.containsEntry("functions: load call", 16L)
			.containsEntry("cache: get", "cached");
		assertThat(starter).isEqualTo(boot);
	}

	@Test
	void clusterCrossSlotOperationsShouldGiveSpringBootsResults(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		String seeds = String.join(",", cluster.seedAddresses());
		ApplicationContextRunner springBoot = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.cluster.nodes=" + seeds);
		Map<String, Object> boot = run(springBoot, clusterSteps());
		cluster.masters().forEach((master) -> master.command("FLUSHALL"));
		Map<String, Object> starter = run(DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster", "redis.discovery.cluster.nodes=" + seeds), clusterSteps());

		assertThat(boot).hasSameSizeAs(clusterSteps())
			.containsEntry("cross-slot: mget", List.of("1", "2", "3"))
			.containsEntry("cross-slot: rpoplpush", "x2")
			.containsEntry("cross-slot: smove", true);
		assertThat(starter).isEqualTo(boot);
	}

	private static Map<String, Object> run(ApplicationContextRunner runner, List<Step> steps) {
		Map<String, Object> results = new LinkedHashMap<>();
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
			Apis apis = new Apis(context.getBean(StringRedisTemplate.class),
					new ReactiveStringRedisTemplate((ReactiveRedisConnectionFactory) factory),
					RedisCacheManager.create(factory));
			for (Step step : steps) {
				results.put(step.name(), outcome(step, apis));
			}
		});
		return results;
	}

	private static List<Step> standaloneSteps() {
		List<Step> steps = new ArrayList<>();
		// Strings
		steps.add(new Step("strings: set get", (apis) -> {
			apis.redis().opsForValue().set("s:greeting", "hello");
			return apis.redis().opsForValue().get("s:greeting");
		}));
		steps.add(new Step("strings: set if absent", (apis) -> apis.redis().opsForValue().setIfAbsent("s:greeting", "x")));
		steps.add(new Step("strings: incr", (apis) -> {
			apis.redis().opsForValue().set("s:counter", "10");
			return apis.redis().opsForValue().increment("s:counter");
		}));
		steps.add(new Step("strings: append strlen range", (apis) -> results(
				apis.redis().opsForValue().append("s:greeting", " world"), apis.redis().opsForValue().size("s:greeting"),
				apis.redis().opsForValue().get("s:greeting", 0, 4))));
		steps.add(new Step("strings: mset mget", (apis) -> {
			apis.redis().opsForValue().multiSet(Map.of("s:a", "1", "s:b", "2"));
			return apis.redis().opsForValue().multiGet(List.of("s:a", "s:b", "s:missing"));
		}));
		steps.add(new Step("strings: bits", (apis) -> results(apis.redis().opsForValue().setBit("s:bits", 7, true),
				apis.redis().opsForValue().getBit("s:bits", 7), apis.redis()
					.execute((RedisCallback<Long>) (connection) -> connection.stringCommands().bitCount(bytes("s:bits"))))));
		steps.add(new Step("strings: expire ttl", (apis) -> results(
				apis.redis().expire("s:greeting", Duration.ofSeconds(100)), apis.redis().getExpire("s:greeting") > 90)));
		// Hashes
		steps.add(new Step("hashes: put entries", (apis) -> {
			apis.redis().opsForHash().putAll("h:user", Map.of("name", "ada", "visits", "1"));
			return apis.redis().opsForHash().entries("h:user");
		}));
		steps.add(new Step("hashes: increment delete", (apis) -> results(
				apis.redis().opsForHash().increment("h:user", "visits", 2),
				apis.redis().opsForHash().delete("h:user", "name"), apis.redis().opsForHash().hasKey("h:user", "name"))));
		// Lists, blocking pops included
		steps.add(new Step("lists: push range", (apis) -> {
			apis.redis().opsForList().rightPushAll("l:queue", "a", "b", "c", "d");
			return apis.redis().opsForList().range("l:queue", 0, -1);
		}));
		steps.add(new Step("lists: pop", (apis) -> apis.redis().opsForList().leftPop("l:queue")));
		steps.add(new Step("lists: blocking pop", (apis) -> apis.redis().opsForList().leftPop("l:queue", BLOCK)));
		steps.add(new Step("lists: blocking pop on empty list", (apis) -> apis.redis()
			.opsForList()
			.leftPop("l:empty", BLOCK)));
		steps.add(new Step("lists: rpoplpush trim index", (apis) -> results(
				apis.redis().opsForList().rightPopAndLeftPush("l:queue", "l:done"),
				apis.redis().opsForList().index("l:queue", 0), apis.redis().opsForList().size("l:done"))));
		steps.add(new Step("lists: blocking move", (apis) -> apis.redis()
			.opsForList()
			.rightPopAndLeftPush("l:queue", "l:done", BLOCK)));
		// Sets
		steps.add(new Step("sets: add members", (apis) -> {
			apis.redis().opsForSet().add("z:one", "a", "b", "c");
			apis.redis().opsForSet().add("z:two", "b", "c", "d");
			return apis.redis().opsForSet().members("z:one");
		}));
		steps.add(new Step("sets: algebra", (apis) -> results(apis.redis().opsForSet().intersect("z:one", "z:two"),
				apis.redis().opsForSet().union("z:one", "z:two"), apis.redis().opsForSet().difference("z:one", "z:two"))));
		steps.add(new Step("sets: move remove", (apis) -> results(apis.redis().opsForSet().move("z:one", "a", "z:two"),
				apis.redis().opsForSet().remove("z:two", "d"), apis.redis().opsForSet().isMember("z:two", "a"))));
		// Sorted sets
		steps.add(new Step("zsets: add range", (apis) -> {
			apis.redis().opsForZSet().add("o:scores", "ada", 3);
			apis.redis().opsForZSet().add("o:scores", "bob", 1);
			apis.redis().opsForZSet().add("o:scores", "cy", 2);
			return apis.redis().opsForZSet().range("o:scores", 0, -1);
		}));
		steps.add(new Step("zsets: incr rank", (apis) -> results(
				apis.redis().opsForZSet().incrementScore("o:scores", "bob", 5),
				apis.redis().opsForZSet().rank("o:scores", "bob"), apis.redis().opsForZSet().reverseRange("o:scores", 0, 0))));
		steps.add(new Step("zsets: remove by score, pop min", (apis) -> results(
				apis.redis().opsForZSet().removeRangeByScore("o:scores", 2, 2),
				String.valueOf(apis.redis().opsForZSet().popMin("o:scores").getValue()))));
		// Streams with a consumer group
		steps.add(new Step("streams: add read ack", (apis) -> {
			MapRecord<String, String, String> record = StreamRecords.<String, String, String>mapBacked(Map.of("n", "1"))
				.withStreamKey("x:events")
				.withId(RecordId.of("1-1"));
			RecordId id = apis.redis().opsForStream().add(record);
			apis.redis().opsForStream().createGroup("x:events", ReadOffset.from("0"), "workers");
			List<MapRecord<String, Object, Object>> read = apis.redis()
				.opsForStream()
				.read(Consumer.from("workers", "w1"), StreamOffset.create("x:events", ReadOffset.lastConsumed()));
			Long acknowledged = apis.redis().opsForStream().acknowledge("x:events", "workers", id);
			return results(id.getValue(), read.size(), read.get(0).getValue(), acknowledged,
					apis.redis().opsForStream().pending("x:events", "workers").getTotalPendingMessages(),
					apis.redis().opsForStream().size("x:events"));
		}));
		// Geo
		steps.add(new Step("geo: add distance search", (apis) -> {
			apis.redis().opsForGeo().add("g:cities", new Point(13.361389, 38.115556), "Palermo");
			apis.redis().opsForGeo().add("g:cities", new Point(15.087269, 37.502669), "Catania");
			Distance distance = apis.redis().opsForGeo().distance("g:cities", "Palermo", "Catania", Metrics.KILOMETERS);
			return results(Math.round(distance.getValue()), apis.redis()
				.opsForGeo()
				.radius("g:cities", new Circle(new Point(15, 37), new Distance(200, Metrics.KILOMETERS)))
				.getContent()
				.size());
		}));
		// HyperLogLog
		steps.add(new Step("hll: add count union", (apis) -> results(
				apis.redis().opsForHyperLogLog().add("p:one", "a", "b", "c"),
				apis.redis().opsForHyperLogLog().add("p:two", "c", "d"), apis.redis().opsForHyperLogLog().size("p:one"),
				apis.redis().opsForHyperLogLog().union("p:all", "p:one", "p:two"))));
		// Scripts (EVALSHA first, EVAL after NOSCRIPT) and functions
		steps.add(new Step("scripts: evalsha", (apis) -> apis.redis()
			.execute(RedisScript.of("return tonumber(ARGV[1]) * 2", Long.class), List.of(), "21")));
		// Spring Data has no API for functions: applications call Lettuce through the native connection.
		steps.add(new Step("functions: load call", (apis) -> apis.redis().execute((RedisCallback<Object>) (connection) -> {
			@SuppressWarnings("unchecked")
			RedisAsyncCommands<byte[], byte[]> lettuce = (RedisAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			lettuce.functionLoad("#!lua name=conformance\nredis.register_function('twice', function(keys, args) "
					+ "return tonumber(args[1]) * 2 end)", true);
			return LettuceFutures.awaitOrCancel(lettuce.fcall("twice", ScriptOutputType.INTEGER, new byte[0][],
					bytes("8")), 5, TimeUnit.SECONDS);
		})));
		// Transactions and pipelines
		steps.add(new Step("transaction: multi exec", (apis) -> apis.redis().execute(transaction((operations) -> {
			operations.opsForValue().set("t:a", "1");
			operations.opsForValue().increment("t:a");
			operations.opsForList().rightPush("t:list", "x");
			return operations.opsForValue().get("t:a");
		}))));
		steps.add(new Step("transaction: discard", (apis) -> apis.redis().execute(new SessionCallback<Object>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public Object execute(RedisOperations operations) {
				operations.multi();
				operations.opsForValue().set("t:discarded", "1");
				operations.discard();
				return operations.opsForValue().get("t:discarded");
			}

		})));
		steps.add(new Step("pipeline", (apis) -> apis.redis().executePipelined((RedisCallback<Object>) (connection) -> {
			connection.stringCommands().set(bytes("q:a"), bytes("1"));
			connection.stringCommands().incr(bytes("q:a"));
			connection.stringCommands().get(bytes("q:a"));
			connection.listCommands().rPush(bytes("q:list"), bytes("1"), bytes("2"));
			return null;
		})));
		// The reactive template, a step per family
		steps.add(new Step("reactive: strings", (apis) -> results(apis.reactive().opsForValue().set("r:s", "v").block(),
				apis.reactive().opsForValue().get("r:s").block(), apis.reactive().opsForValue().increment("r:n").block())));
		steps.add(new Step("reactive: hashes", (apis) -> results(apis.reactive().opsForHash().put("r:h", "f", "v").block(),
				apis.reactive().opsForHash().get("r:h", "f").block())));
		steps.add(new Step("reactive: lists", (apis) -> results(
				apis.reactive().opsForList().rightPushAll("r:l", "a", "b").block(),
				apis.reactive().opsForList().leftPop("r:l").block(),
				apis.reactive().opsForList().leftPop("r:l", BLOCK).block(),
				apis.reactive().opsForList().range("r:l", 0, -1).collectList().block())));
		steps.add(new Step("reactive: sets and sorted sets", (apis) -> results(
				apis.reactive().opsForSet().add("r:set", "a", "b").block(),
				apis.reactive().opsForSet().members("r:set").collectList().block(),
				apis.reactive().opsForZSet().add("r:z", "a", 1).block(),
				apis.reactive().opsForZSet().range("r:z", Range.closed(0L, -1L)).collectList().block())));
		steps.add(new Step("reactive: streams", (apis) -> results(apis.reactive()
			.opsForStream()
			.add(StreamRecords.<String, String, String>mapBacked(Map.of("n", "1"))
				.withStreamKey("r:x")
				.withId(RecordId.of("2-1")))
			.map(RecordId::getValue)
			.block(), apis.reactive().opsForStream().size("r:x").block())));
		steps.add(new Step("reactive: hll and geo", (apis) -> results(
				apis.reactive().opsForHyperLogLog().add("r:p", "a", "b").block(),
				apis.reactive().opsForHyperLogLog().size("r:p").block(),
				apis.reactive().opsForGeo().add("r:g", new Point(13.361389, 38.115556), "Palermo").block())));
		steps.add(new Step("reactive: keys", (apis) -> results(apis.reactive().hasKey("r:s").block(),
				apis.reactive().delete("r:s", "r:n").block(), apis.reactive().hasKey("r:s").block())));
		// Spring Cache
		steps.add(new Step("cache: get", (apis) -> {
			Cache cache = apis.cache().getCache("conformance");
			cache.put("key", "cached");
			return eventually(() -> cache.get("key", String.class));
		}));
		steps.add(new Step("cache: put if absent, evict, clear", (apis) -> {
			Cache cache = apis.cache().getCache("conformance");
			Cache.ValueWrapper existing = cache.putIfAbsent("key", "other");
			boolean evicted = cache.evictIfPresent("key");
			cache.put("second", "value");
			eventually(() -> cache.get("second"));
			cache.clear();
			return results(String.valueOf(existing.get()), evicted, eventually(() -> cache.get("second") == null));
		}));
		return steps;
	}

	private static List<Step> clusterSteps() {
		List<Step> steps = new ArrayList<>();
		steps.add(new Step("cross-slot: mset", (apis) -> {
			apis.redis().opsForValue().multiSet(Map.of("c:a", "1", "c:b", "2", "c:c", "3"));
			return apis.redis().opsForValue().multiSetIfAbsent(Map.of("c:a", "9", "c:new", "9"));
		}));
		steps.add(new Step("cross-slot: mget", (apis) -> apis.redis().opsForValue().multiGet(List.of("c:a", "c:b", "c:c"))));
		steps.add(new Step("cross-slot: keys", (apis) -> apis.redis().keys("c:*")));
		steps.add(new Step("cross-slot: rename", (apis) -> {
			apis.redis().rename("c:b", "c:renamed");
			return results(apis.redis().hasKey("c:b"), apis.redis().opsForValue().get("c:renamed"));
		}));
		steps.add(new Step("cross-slot: rpoplpush", (apis) -> {
			apis.redis().opsForList().rightPushAll("c:from", "x1", "x2");
			return apis.redis().opsForList().rightPopAndLeftPush("c:from", "c:to");
		}));
		steps.add(new Step("cross-slot: blocking rpoplpush", (apis) -> apis.redis()
			.opsForList()
			.rightPopAndLeftPush("c:from", "c:to", BLOCK)));
		steps.add(new Step("cross-slot: lists after", (apis) -> results(apis.redis().opsForList().range("c:from", 0, -1),
				apis.redis().opsForList().range("c:to", 0, -1))));
		steps.add(new Step("cross-slot: smove", (apis) -> {
			apis.redis().opsForSet().add("c:set1", "m1", "m2");
			return apis.redis().opsForSet().move("c:set1", "m1", "c:set2");
		}));
		steps.add(new Step("cross-slot: set algebra", (apis) -> {
			apis.redis().opsForSet().add("c:set2", "m2", "m3");
			return results(apis.redis().opsForSet().intersect("c:set1", "c:set2"),
					apis.redis().opsForSet().union("c:set1", "c:set2"),
					apis.redis().opsForSet().unionAndStore("c:set1", "c:set2", "c:union"),
					apis.redis().opsForSet().members("c:union"));
		}));
		steps.add(new Step("cross-slot: zset union store", (apis) -> {
			apis.redis().opsForZSet().add("c:z1", "a", 1);
			apis.redis().opsForZSet().add("c:z2", "a", 2);
			return results(apis.redis().opsForZSet().unionAndStore("c:z1", "c:z2", "c:zall"),
					apis.redis().opsForZSet().score("c:zall", "a"));
		}));
		steps.add(new Step("cross-slot: delete", (apis) -> apis.redis()
			.delete(List.of("c:a", "c:c", "c:renamed", "c:missing"))));
		steps.add(new Step("cross-slot: pipeline", (apis) -> apis.redis()
			.executePipelined((RedisCallback<Object>) (connection) -> {
				connection.stringCommands().set(bytes("c:p1"), bytes("1"));
				connection.stringCommands().set(bytes("c:p2"), bytes("2"));
				connection.stringCommands().get(bytes("c:p1"));
				return null;
			})));
		steps.add(new Step("cross-slot: reactive mget", (apis) -> apis.reactive()
			.opsForValue()
			.multiGet(List.of("c:p1", "c:p2"))
			.block()));
		steps.add(new Step("cluster: cache", (apis) -> {
			Cache cache = apis.cache().getCache("conformance");
			cache.put("key", "cached");
			return eventually(() -> cache.get("key", String.class));
		}));
		return steps;
	}

	/** The step's result, or the type of exception it ended with: the same exception is conformance too. */
	private static Object outcome(Step step, Apis apis) {
		try {
			return comparable(step.operation().apply(apis));
		}
		catch (RuntimeException ex) {
			return "threw " + ex.getClass().getName();
		}
	}

	/**
	 * The first non-null, non-false value of {@code read} within a deadline. {@code Cache.put} and {@code Cache.clear}
	 * may take effect later than they return (Spring's contract; Spring Data Redis writes asynchronously on any factory
	 * that is also reactive, Spring Boot's included), so a read right after them is a race on both factories.
	 */
	private static <T> T eventually(Callable<T> read) {
		return await().atMost(Duration.ofSeconds(5)).until(read, (value) -> value != null && !Boolean.FALSE.equals(value));
	}

	/** Several results of one step; unlike {@code List.of}, {@code null} (a pop of an empty list ...) is a result. */
	private static List<Object> results(Object... results) {
		return Arrays.asList(results);
	}

	/** Results in a form whose equality does not depend on iteration order where Redis gives none. */
	private static Object comparable(Object result) {
		if (result instanceof Set<?> set) {
			return new TreeSet<>(set.stream().map(ConformanceIntegrationTests::comparable).map(String::valueOf).toList());
		}
		if (result instanceof Map<?, ?> map) {
			Map<String, Object> sorted = new TreeMap<>();
			map.forEach((key, value) -> sorted.put(String.valueOf(key), comparable(value)));
			return sorted;
		}
		if (result instanceof Collection<?> list) {
			return list.stream().map(ConformanceIntegrationTests::comparable).toList();
		}
		if (result instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (result != null) ? result : "(nil)";
	}

	private static <T> SessionCallback<List<Object>> transaction(Function<RedisOperations<String, String>, T> work) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings("unchecked")
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				work.apply(operations);
				return operations.exec();
			}

		};
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** What a step may use: the blocking and the reactive template, and a cache manager, on the factory under test. */
	private record Apis(StringRedisTemplate redis, ReactiveStringRedisTemplate reactive, RedisCacheManager cache) {

	}

	/** One named operation of the suite. */
	private record Step(String name, Function<Apis, Object> operation) {

	}

}
