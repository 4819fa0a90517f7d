package io.redisdiscovery.sample.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Threads that write a key, read it back and increment a shared counter in a loop, the way request handlers use
 * Redis, recording every operation in {@link WorkloadStats}; stopped before the connection factory closes.
 */
@Component
public class WorkloadGenerator implements SmartLifecycle {

	static final String COUNTER_KEY = "sample:workload:counter";

	private static final Logger logger = LoggerFactory.getLogger(WorkloadGenerator.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final StringRedisTemplate redis;

	private final WorkloadStats stats;

	private final int threadCount;

	private final Duration pause;

	private final boolean autoStart;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	public WorkloadGenerator(StringRedisTemplate redis, WorkloadStats stats,
			@Value("${sample.workload.threads:2}") int threadCount,
			@Value("${sample.workload.pause:5ms}") Duration pause,
			@Value("${sample.workload.auto-start:false}") boolean autoStart) {
		this.redis = redis;
		this.stats = stats;
		this.threadCount = threadCount;
		this.pause = pause;
		this.autoStart = autoStart;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		for (int i = 0; i < this.threadCount; i++) {
			int worker = i;
			Thread thread = new Thread(() -> work(worker), "sample-workload-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		logger.info("Workload started with {} threads", this.threadCount);
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (Thread thread : this.threads) {
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			if (thread.isAlive()) {
				logger.warn("{} did not stop within {}", thread.getName(), STOP_TIMEOUT);
			}
		}
		this.threads.clear();
		logger.info("Workload stopped");
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStart;
	}

	public int threadCount() {
		return this.threadCount;
	}

	private void work(int worker) {
		long sequence = 0;
		while (this.running) {
			String key = "sample:workload:" + worker + ":" + (sequence++ % 10_000);
			String value = Long.toString(sequence);
			if (timed("SET", () -> {
				this.redis.opsForValue().set(key, value, Duration.ofMinutes(5));
				return Boolean.TRUE;
			}) != null) {
				timed("GET", () -> {
					String read = this.redis.opsForValue().get(key);
					if (!value.equals(read)) {
						throw new IllegalStateException("GET " + key + " returned " + read + " instead of " + value);
					}
					return read;
				});
			}
			timed("INCR", () -> this.redis.opsForValue().increment(COUNTER_KEY));
			LockSupport.parkNanos(this.pause.toNanos());
		}
	}

	private <T> @Nullable T timed(String operation, Supplier<T> command) {
		long start = System.nanoTime();
		try {
			T result = command.get();
			this.stats.recordSuccess(System.nanoTime() - start);
			return result;
		}
		catch (RuntimeException ex) {
			if (this.running) {
				this.stats.recordError(operation, ex);
			}
			return null;
		}
	}

}
