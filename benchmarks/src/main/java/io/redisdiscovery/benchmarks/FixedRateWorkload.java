package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A fixed-rate application workload for failover scorecards: each thread SETs a unique key, GETs it back, and
 * every fourth round INCRs a shared counter, recording what the application would see.
 */
final class FixedRateWorkload {

	private static final long PERIOD_NANOS = Duration.ofMillis(10).toNanos();

	private final StringRedisTemplate redis;

	private final String prefix;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean();

	final Map<String, String> acknowledged = new ConcurrentHashMap<>();

	final AtomicLong errors = new AtomicLong();

	final AtomicLong incrementErrors = new AtomicLong();

	final AtomicLong acknowledgedIncrements = new AtomicLong();

	private final AtomicLong lastSuccess = new AtomicLong(System.nanoTime());

	private final AtomicLong longestStall = new AtomicLong();

	private final AtomicLong firstWriteAfterEvent = new AtomicLong();

	private volatile long eventAt;

	/** Told about every error the application sees, with the command that failed ({@code SET/GET} or {@code INCR}). */
	volatile BiConsumer<String, RuntimeException> errorListener = (command, ex) -> {
	};

	FixedRateWorkload(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
	}

	String counterKey() {
		return this.prefix + ":counter";
	}

	void start(int threadCount) {
		this.running.set(true);
		for (int i = 0; i < threadCount; i++) {
			String threadPrefix = this.prefix + ":" + i + ":";
			Thread thread = new Thread(() -> run(threadPrefix), this.prefix + "-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void run(String threadPrefix) {
		long next = System.nanoTime();
		for (long i = 0; this.running.get(); i++) {
			long started = System.nanoTime();
			String key = threadPrefix + i;
			String value = Long.toString(started);
			try {
				this.redis.opsForValue().set(key, value);
				this.acknowledged.put(key, value);
				succeeded(started);
				this.redis.opsForValue().get(key);
			}
			catch (RuntimeException ex) {
				this.errors.incrementAndGet();
				this.errorListener.accept("SET/GET", ex);
			}
			if (i % 4 == 0) {
				try {
					this.redis.opsForValue().increment(counterKey());
					this.acknowledgedIncrements.incrementAndGet();
				}
				catch (RuntimeException ex) {
					this.incrementErrors.incrementAndGet();
					this.errorListener.accept("INCR", ex);
				}
			}
			next = Math.max(next + PERIOD_NANOS, System.nanoTime() - PERIOD_NANOS);
			// A client library may leave the interrupt flag set, which would make parkNanos return at once.
			Thread.interrupted();
			LockSupport.parkNanos(next - System.nanoTime());
		}
	}

	private void succeeded(long started) {
		long now = System.nanoTime();
		long previous = this.lastSuccess.getAndAccumulate(now, Math::max);
		this.longestStall.accumulateAndGet(now - previous, Math::max);
		long event = this.eventAt;
		if (event != 0 && started >= event) {
			this.firstWriteAfterEvent.compareAndSet(0, now);
		}
	}

	/**
	 * Marks the moment the fault is injected: the longest stall is measured from here on.
	 */
	void markFault() {
		this.longestStall.set(0);
	}

	/**
	 * Marks the moment of the server-side event (restart done, fault injected).
	 * @param nanoTime the event time
	 */
	void markEvent(long nanoTime) {
		this.eventAt = nanoTime;
	}

	/**
	 * Time from the event to the first write started after it.
	 * @return the time, or {@code null} when no write succeeded after the event
	 */
	@Nullable Duration firstWriteAfterEvent() {
		long first = this.firstWriteAfterEvent.get();
		return (first == 0) ? null : Duration.ofNanos(first - this.eventAt);
	}

	Duration longestStall() {
		return Duration.ofNanos(this.longestStall.get());
	}

	/**
	 * Tells the threads to stop after their current command; {@link #awaitStopped()} waits for them. Stop every
	 * workload of a run before waiting for any, or the others keep running while a stuck one is awaited.
	 */
	void stop() {
		// A workload that never recovered stalled until now.
		this.longestStall.accumulateAndGet(System.nanoTime() - this.lastSuccess.get(), Math::max);
		this.running.set(false);
	}

	void awaitStopped() throws InterruptedException {
		for (Thread thread : this.threads) {
			thread.join(Duration.ofSeconds(30).toMillis());
		}
	}

}
