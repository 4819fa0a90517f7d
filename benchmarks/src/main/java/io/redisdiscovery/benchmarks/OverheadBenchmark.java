package io.redisdiscovery.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;

/**
 * Measures what the starter's retrying factory costs per command against Spring Boot's own factory, on one lab
 * server, in alternating rounds so that machine noise hits both alike. With commons-pool2 on the class path (as in
 * this module) both factories pool the dedicated connections of transactions and blocking commands.
 */
final class OverheadBenchmark {

	private static final int ROUNDS = 10;

	private static final Duration ROUND = Duration.ofSeconds(2);

	private static final Duration WARM_UP = Duration.ofSeconds(2);

	private static final int THREADS = 4;

	private static final byte[] VALUE = "value".getBytes(StandardCharsets.UTF_8);

	private static final byte[] GET_KEY = "bench:get".getBytes(StandardCharsets.UTF_8);

	private static final DefaultRedisScript<Long> SCRIPT = new DefaultRedisScript<>(
			"return redis.call('INCRBY', KEYS[1], ARGV[1])", Long.class);

	/** Runs Spring Boot's factory against a second Spring Boot context instead of the starter. */
	static final String A_A = "--a-a";

	private final List<String> only;

	private final Variant measured;

	/**
	 * A benchmark of some operations.
	 * @param arguments the names of the operations to measure, in that order (for example "transaction"), or none
	 * for all; with {@value #A_A}, the "starter" columns are a second Spring Boot context, which shows how far apart
	 * two identical factories read on this machine
	 */
	OverheadBenchmark(List<String> arguments) {
		this.only = arguments.stream().filter((argument) -> !argument.equals(A_A)).toList();
		this.measured = arguments.contains(A_A) ? Variant.BOOT_DEFAULT : Variant.STARTER;
	}

	/** Whether the "starter" columns are a second Spring Boot context ({@value #A_A}). */
	boolean isAToA() {
		return this.measured != Variant.STARTER;
	}

	/** MULTI, two SETs, EXEC. */
	private static final SessionCallback<List<Object>> TRANSACTION = new SessionCallback<>() {

		@Override
		@SuppressWarnings("unchecked")
		public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
			operations.multi();
			operations.opsForValue().set((K) "bench:tx:a", (V) "value");
			operations.opsForValue().set((K) "bench:tx:b", (V) "value");
			return operations.exec();
		}

	};

	List<Result> run() throws InterruptedException {
		try (RedisLab lab = new RedisLab()) {
			RedisServer server = lab.startServer();
			Variant.Target target = Variant.Target.fixed("standalone", server.address());
			try (ConfigurableApplicationContext boot = Variant.BOOT_DEFAULT.start(target);
					ConfigurableApplicationContext starter = this.measured.start(target)) {
				StringRedisTemplate bootRedis = Variant.template(boot);
				StringRedisTemplate starterRedis = Variant.template(starter);
				bootRedis.opsForValue().set("bench:get", "value");
				// Every operation runs on both variants before any is measured, so the first one measured does not
				// pay for compiling the code the operations share.
				for (Consumer<StringRedisTemplate> operation : selected().values()) {
					runRound(operation, bootRedis, new Sample(), WARM_UP);
					runRound(operation, starterRedis, new Sample(), WARM_UP);
				}
				List<Result> results = new ArrayList<>();
				for (Map.Entry<String, Consumer<StringRedisTemplate>> operation : selected().entrySet()) {
					results.add(measure(operation.getKey(), operation.getValue(), bootRedis, starterRedis));
				}
				return results;
			}
		}
	}

	/** The operations named, in the order given (a row's ratio may depend on what ran before it), or all. */
	private Map<String, Consumer<StringRedisTemplate>> selected() {
		Map<String, Consumer<StringRedisTemplate>> all = operations();
		if (this.only.isEmpty()) {
			return all;
		}
		Map<String, Consumer<StringRedisTemplate>> selected = new LinkedHashMap<>();
		for (String name : this.only) {
			Consumer<StringRedisTemplate> operation = all.get(name);
			if (operation == null) {
				throw new IllegalArgumentException("No operation named '" + name + "': use " + all.keySet());
			}
			selected.put(name, operation);
		}
		return selected;
	}

	private static Map<String, Consumer<StringRedisTemplate>> operations() {
		Map<String, Consumer<StringRedisTemplate>> operations = new LinkedHashMap<>();
		operations.put("GET", (redis) -> redis.opsForValue().get("bench:get"));
		operations.put("SET", (redis) -> redis.opsForValue().set("bench:set", "value"));
		operations.put("pipeline of 10 SET", (redis) -> redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (int i = 0; i < 10; i++) {
				connection.stringCommands().set(("bench:pipe:" + i).getBytes(StandardCharsets.UTF_8), VALUE);
			}
			return null;
		}));
		operations.put("Lua script", (redis) -> redis.execute(SCRIPT, List.of("bench:lua"), "1"));
		// As scripts do, a RedisCallback gets the connection wrapped in the template's close-suppressing proxy.
		operations.put("GET in a RedisCallback", (redis) -> redis
			.execute((RedisCallback<byte[]>) (connection) -> connection.stringCommands().get(GET_KEY)));
		// Both take a dedicated connection: from the pool, or opened (connect, HELLO) for each without one.
		operations.put("transaction", (redis) -> redis.execute(TRANSACTION));
		// The element pushed first makes the pop return at once: every pop follows a push of its own thread.
		operations.put("blocking pop", (redis) -> {
			redis.opsForList().leftPush("bench:queue", "job");
			redis.opsForList().leftPop("bench:queue", Duration.ofSeconds(1));
		});
		return operations;
	}

	private static Result measure(String name, Consumer<StringRedisTemplate> operation, StringRedisTemplate boot,
			StringRedisTemplate starter) throws InterruptedException {
		Sample bootSample = new Sample();
		Sample starterSample = new Sample();
		List<Double> roundRatios = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			boolean bootFirst = round % 2 == 0;
			double first = runRound(operation, bootFirst ? boot : starter, bootFirst ? bootSample : starterSample,
					ROUND);
			double second = runRound(operation, bootFirst ? starter : boot, bootFirst ? starterSample : bootSample,
					ROUND);
			roundRatios.add(bootFirst ? second / first : first / second);
		}
		return new Result(name, bootSample.summary(), starterSample.summary(), roundRatios);
	}

	/** Runs the operation for a while and returns its throughput in operations per second. */
	private static double runRound(Consumer<StringRedisTemplate> operation, StringRedisTemplate redis, Sample sample,
			Duration duration) throws InterruptedException {
		AtomicLong operations = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < THREADS; i++) {
			Thread thread = new Thread(() -> {
				while (running.get()) {
					long start = System.nanoTime();
					operation.accept(redis);
					sample.record(System.nanoTime() - start);
					operations.incrementAndGet();
				}
			});
			threads.add(thread);
			thread.start();
		}
		Thread.sleep(duration.toMillis());
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - started;
		sample.addTime(elapsed);
		return operations.get() / (elapsed / 1e9);
	}

	/** Latencies and elapsed time of one variant for one operation. */
	private static final class Sample {

		private final Histogram latencies = new ConcurrentHistogram(Duration.ofSeconds(10).toNanos(), 3);

		private final AtomicLong elapsedNanos = new AtomicLong();

		void record(long nanos) {
			this.latencies.recordValue(Math.min(nanos, Duration.ofSeconds(10).toNanos()));
		}

		void addTime(long nanos) {
			this.elapsedNanos.addAndGet(nanos);
		}

		Summary summary() {
			double seconds = this.elapsedNanos.get() / 1e9;
			return new Summary(this.latencies.getTotalCount() / seconds,
					this.latencies.getValueAtPercentile(50) / 1000, this.latencies.getValueAtPercentile(99) / 1000);
		}

	}

	/**
	 * Throughput and latency of one variant.
	 *
	 * @param opsPerSecond operations per second over all threads
	 * @param p50Micros median latency
	 * @param p99Micros 99th percentile latency
	 */
	record Summary(double opsPerSecond, long p50Micros, long p99Micros) {

	}

	/**
	 * The comparison for one operation.
	 *
	 * @param operation the operation
	 * @param boot Spring Boot's factory
	 * @param starter the starter's factory
	 * @param roundRatios starter over Boot throughput for each pair of adjacent rounds
	 */
	record Result(String operation, Summary boot, Summary starter, List<Double> roundRatios) {

		/**
		 * The median of the paired round ratios: adjacent rounds share the machine's state at the time, so the
		 * median is less sensitive to drift and to one disturbed round than the ratio of totals.
		 */
		double throughputRatio() {
			List<Double> sorted = this.roundRatios.stream().sorted().toList();
			int middle = sorted.size() / 2;
			return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
		}

		double lowestRoundRatio() {
			return this.roundRatios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		}

		double highestRoundRatio() {
			return this.roundRatios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
		}

		double p99Ratio() {
			return (double) this.starter.p99Micros() / Math.max(1, this.boot.p99Micros());
		}

	}

}
