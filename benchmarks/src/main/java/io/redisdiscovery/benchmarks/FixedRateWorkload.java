package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fixed-rate application workload for failover scorecards: each thread writes a unique key through an {@link Api}
 * (with the template: SET, then GET it back), and every fourth round INCRs a shared counter, recording what the
 * application would see.
 */
final class FixedRateWorkload {

	/** Each thread starts a round every 10 ms: 100 rounds/s per thread. */
	private static final Duration PERIOD = Duration.ofMillis(10);

	private static final long PERIOD_NANOS = PERIOD.toNanos();

	private final Api.Writes writes;

	private final String prefix;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean();

	final Map<String, String> acknowledged = new ConcurrentHashMap<>();

	/** Pub/Sub messages the application's listener received, by key. */
	final Map<String, String> delivered = new ConcurrentHashMap<>();

	final AtomicLong errors = new AtomicLong();

	final AtomicLong incrementErrors = new AtomicLong();

	final AtomicLong acknowledgedIncrements = new AtomicLong();

	private final AtomicLong lastSuccess = new AtomicLong(System.nanoTime());

	private final AtomicLong longestStall = new AtomicLong();

	/** Every successful write as its start and end, so that the event can be placed after the fact. */
	private final Queue<Success> successes = new ConcurrentLinkedQueue<>();

	private volatile long eventAt;

	private volatile long windowFrom;

	private volatile long windowTo;

	/** Told about every error the application sees, with the command that failed ({@code SET/GET} or {@code INCR}). */
	volatile BiConsumer<String, RuntimeException> errorListener = (command, ex) -> {
	};

	/**
	 * A workload for one application.
	 * @param api the API it writes through
	 * @param context the application
	 * @param prefix the prefix of its keys (and its Pub/Sub channel)
	 */
	FixedRateWorkload(Api api, ConfigurableApplicationContext context, String prefix) {
		this.prefix = prefix;
		// Last: the Pub/Sub listener may report deliveries from here on.
		this.writes = api.writes(context, prefix + ":channel", this::delivered);
	}

	/** A Pub/Sub delivery: for {@link Api#PUBSUB} the delivery, not the publish, is the write that succeeded. */
	private void delivered(String key, String value) {
		this.delivered.put(key, value);
		succeeded(key, Long.parseLong(value));
	}

	/**
	 * The shared counter's key. Every application's counter is in one hash slot (736, which the cluster lab's first
	 * master serves and its scenarios fail over): each INCR waits on the node the fault hits, so variants that run
	 * side by side do the same work. Named by the prefix alone, one variant's counter could sit on the failed master
	 * and another's on a healthy one.
	 * @return the key
	 */
	String counterKey() {
		return "{scorecard-counter}:" + this.prefix;
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
				if (this.writes.write(key, value)) {
					this.acknowledged.put(key, value);
					if (!this.writes.api().succeedsOnDelivery()) {
						succeeded(key, started);
					}
				}
			}
			catch (RuntimeException ex) {
				this.errors.incrementAndGet();
				this.errorListener.accept("SET/GET", ex);
			}
			if (i % 4 == 0) {
				try {
					if (this.writes.increment(counterKey())) {
						this.acknowledgedIncrements.incrementAndGet();
					}
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

	private void succeeded(String key, long started) {
		long now = System.nanoTime();
		long previous = this.lastSuccess.getAndAccumulate(now, Math::max);
		this.longestStall.accumulateAndGet(now - previous, Math::max);
		this.successes.add(new Success(key, started, now));
	}

	/**
	 * Marks the moment the fault is injected: the longest stall is measured from here on.
	 */
	void markFault() {
		this.longestStall.set(0);
	}

	/**
	 * Marks the moment of the server-side event (restart done, fault injected); it may be marked after it happened,
	 * since the first write after it is found among the recorded writes.
	 * @param nanoTime the event time
	 */
	void markEvent(long nanoTime) {
		this.eventAt = nanoTime;
	}

	/**
	 * Marks a window in which the share of the paced rate is reported (a black hole, from its start to its end).
	 * @param from the window's start, a {@link System#nanoTime()}
	 * @param to the window's end
	 */
	void markWindow(long from, long to) {
		this.windowFrom = from;
		this.windowTo = to;
	}

	/**
	 * The share of the paced rate that succeeded in the marked window: writes started in it over the rounds the pace
	 * schedules in it ({@link #PERIOD} per thread).
	 * @return the share (1.0 for the full pace), or {@code null} when no window was marked
	 */
	@Nullable Double pacedShareInWindow() {
		long from = this.windowFrom;
		long to = this.windowTo;
		if (to - from <= 0) {
			return null;
		}
		long completed = this.successes.stream()
			.filter((success) -> success.started() - from >= 0 && success.started() - to < 0)
			.count();
		double scheduled = (double) this.threads.size() * (to - from) / PERIOD_NANOS;
		return completed / scheduled;
	}

	/**
	 * Time from the event to the first write started after it that succeeded and passes a check.
	 * @param kept whether a write's key counts: every acknowledged write, or only those the database kept
	 * @return the time, or {@code null} when no such write succeeded after the event
	 */
	@Nullable Duration firstWriteAfterEvent(Predicate<String> kept) {
		return firstAfter(this.successes, this.eventAt, kept);
	}

	static @Nullable Duration firstAfter(Collection<Success> successes, long event, Predicate<String> kept) {
		if (event == 0) {
			return null;
		}
		OptionalLong first = successes.stream()
			.filter((success) -> success.started() - event >= 0 && kept.test(success.key()))
			.mapToLong(Success::finished)
			.min();
		return first.isPresent() ? Duration.ofNanos(first.getAsLong() - event) : null;
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
		this.writes.close();
	}

	/**
	 * A write that succeeded.
	 *
	 * @param key its key
	 * @param started when it started, a {@link System#nanoTime()}
	 * @param finished when it was acknowledged (or, for Pub/Sub, delivered)
	 */
	record Success(String key, long started, long finished) {

	}

}
