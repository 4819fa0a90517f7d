package io.redisdiscovery.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application-like workload for failover tests: threads that SET a unique key then GET it back, and
 * INCR a shared counter (optionally more threads that only INCR it), recording every acknowledged write and every error the application would see.
 */
public final class Workload implements AutoCloseable {

	private static final long PAUSE_NANOS = Duration.ofMillis(2).toNanos();

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String counterKey;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean();

	private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Throwable> incrementErrors = new ConcurrentLinkedQueue<>();

	private final AtomicLong operations = new AtomicLong();

	private final AtomicLong acknowledgedIncrements = new AtomicLong();

	private WriteStyle writeStyle = WriteStyle.PLAIN;

	/**
	 * Creates a workload.
	 * @param redis the template under test
	 * @param prefix a key prefix unique to the test
	 */
	public Workload(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
		this.counterKey = prefix + ":counter";
	}

	/**
	 * Sets how the SETs are sent; {@link WriteStyle#PLAIN} by default.
	 * @param writeStyle the way of writing
	 * @return this workload
	 */
	public Workload writingWith(WriteStyle writeStyle) {
		this.writeStyle = writeStyle;
		return this;
	}

	/**
	 * Starts the threads.
	 * @param threadCount how many
	 * @return this workload
	 */
	public Workload start(int threadCount) {
		this.running.set(true);
		for (int i = 0; i < threadCount; i++) {
			String threadPrefix = this.prefix + ":" + i + ":";
			Thread thread = new Thread(() -> run(threadPrefix), "workload-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		return this;
	}

	/**
	 * Starts threads that only INCR the shared counter, so that whatever they have in flight when a fault strikes
	 * is an INCR. They add to the threads of {@link #start(int)}.
	 * @param threadCount how many
	 * @return this workload
	 */
	public Workload startIncrementing(int threadCount) {
		this.running.set(true);
		for (int i = 0; i < threadCount; i++) {
			Thread thread = new Thread(() -> {
				while (this.running.get()) {
					increment();
					LockSupport.parkNanos(PAUSE_NANOS);
				}
			}, "workload-incr-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		return this;
	}

	private void run(String threadPrefix) {
		for (long i = 0; this.running.get(); i++) {
			String key = threadPrefix + i;
			String value = Long.toString(System.nanoTime());
			boolean incrementInTransaction = i % 4 == 0 && this.writeStyle == WriteStyle.TRANSACTION;
			boolean written = false;
			try {
				write(key, value, incrementInTransaction);
				written = true;
				this.acknowledged.put(key, value);
				if (incrementInTransaction) {
					this.acknowledgedIncrements.incrementAndGet();
				}
				String read = this.redis.opsForValue().get(key);
				if (!value.equals(read)) {
					this.errors.add(new AssertionError("Read " + read + " for " + key + ", expected " + value));
				}
				this.operations.incrementAndGet();
			}
			catch (RuntimeException ex) {
				this.errors.add(ex);
				if (incrementInTransaction && !written) {
					// A failed transaction with an INCR: its outcome is unknown, as a failed INCR's.
					this.incrementErrors.add(ex);
				}
			}
			// A held INCR would stop the thread's transactions and pipelines during a failover, the very writes under
			// test: with those styles the INCR goes into the transaction, or (pipelines) is left out.
			if (i % 4 == 0 && this.writeStyle == WriteStyle.PLAIN) {
				increment();
			}
			// Pace the loop so the workload does not starve the servers of the 2-core machine.
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void write(String key, String value, boolean incrementInTransaction) {
		switch (this.writeStyle) {
			case PLAIN -> this.redis.opsForValue().set(key, value);
			case TRANSACTION -> {
				List<Object> results = this.redis.execute(new SessionCallback<List<Object>>() {

					@Override
					public List<Object> execute(RedisOperations operations) {
						operations.multi();
						operations.opsForValue().set(key, value);
						if (incrementInTransaction) {
							operations.opsForValue().increment(Workload.this.counterKey);
						}
						return operations.exec();
					}

				});
				assertThat(results).as("EXEC of SET %s", key).hasSize(incrementInTransaction ? 2 : 1).first()
					.isEqualTo(true);
			}
			case PIPELINE -> {
				List<Object> results = this.redis.executePipelined(new SessionCallback<Object>() {

					@Override
					public Object execute(RedisOperations operations) {
						operations.opsForValue().set(key, value);
						return null;
					}

				});
				assertThat(results).as("pipelined SET %s", key).containsExactly(true);
			}
		}
	}

	private void increment() {
		try {
			this.redis.opsForValue().increment(this.counterKey);
			this.acknowledgedIncrements.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.incrementErrors.add(ex);
		}
	}

	/**
	 * Waits until the workload has completed {@code count} more SET+GET operations.
	 * @param count how many more
	 * @param timeout the deadline
	 */
	public void awaitProgress(long count, Duration timeout) {
		long target = this.operations.get() + count;
		await("workload progress").atMost(timeout).until(() -> this.operations.get() >= target);
	}

	/**
	 * Stops the threads and waits for them.
	 */
	@Override
	public void close() {
		this.running.set(false);
		for (Thread thread : this.threads) {
			try {
				thread.join(Duration.ofSeconds(30).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Errors the application saw on reads and idempotent writes.
	 * @return the errors
	 */
	public List<Throwable> errors() {
		return List.copyOf(this.errors);
	}

	/**
	 * Errors the application saw on INCR (allowed when the command may have reached the server).
	 * @return the errors
	 */
	public List<Throwable> incrementErrors() {
		return List.copyOf(this.incrementErrors);
	}

	/**
	 * How many SET+GET operations completed.
	 * @return the count
	 */
	public long operations() {
		return this.operations.get();
	}

	/**
	 * Asserts that every acknowledged write is readable with its value.
	 * @param reader the template to read with
	 */
	public void assertNoAcknowledgedWriteLost(StringRedisTemplate reader) {
		List<String> keys = new ArrayList<>(this.acknowledged.keySet());
		List<String> values = reader.opsForValue().multiGet(keys);
		assertThat(values).as("values of acknowledged writes").isNotNull().hasSameSizeAs(keys);
		List<String> lost = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			if (!this.acknowledged.get(keys.get(i)).equals(values.get(i))) {
				lost.add(keys.get(i));
			}
		}
		assertThat(lost).as("acknowledged writes lost (of %d)", keys.size()).isEmpty();
	}

	/**
	 * Asserts that no INCR was applied twice, for faults that may lose acknowledged writes (a kill -9 before
	 * asynchronous replication): the counter may not exceed the acknowledged INCRs plus those whose outcome the
	 * application was told is unknown.
	 * @param reader the template to read with
	 */
	public void assertNoIncrementDuplicated(StringRedisTemplate reader) {
		String value = reader.opsForValue().get(this.counterKey);
		long counter = (value != null) ? Long.parseLong(value) : 0;
		assertThat(this.acknowledgedIncrements.get()).as("acknowledged INCRs").isPositive();
		assertThat(counter).as("counter vs acknowledged INCRs (%d) and INCR errors (%d)",
				this.acknowledgedIncrements.get(), this.incrementErrors.size())
			.isLessThanOrEqualTo(this.acknowledgedIncrements.get() + this.incrementErrors.size());
	}

	/**
	 * Asserts that the counter holds every acknowledged INCR and no INCR twice: it may exceed the acknowledged
	 * count only by INCRs whose outcome the application was told is unknown.
	 * @param reader the template to read with
	 */
	public void assertNoIncrementLostOrDuplicated(StringRedisTemplate reader) {
		String value = reader.opsForValue().get(this.counterKey);
		long counter = (value != null) ? Long.parseLong(value) : 0;
		assertThat(counter).as("counter vs acknowledged INCRs")
			.isBetween(this.acknowledgedIncrements.get(),
					this.acknowledgedIncrements.get() + this.incrementErrors.size());
	}

	/** How the workload sends its SETs. */
	public enum WriteStyle {

		/** One command. */
		PLAIN,

		/** Inside {@code MULTI}/{@code EXEC}. */
		TRANSACTION,

		/** In a pipeline (the workload then sends no INCR). */
		PIPELINE

	}

}
