package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a discovery runs: one at a time, waiting a bounded time for the one in front; a {@code READONLY}
 * reply skips its own when another completed meanwhile; command failures share one queued discovery, paced by
 * {@link DiscoveryPacer}.
 */
final class RefreshGate {

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicLong completed = new AtomicLong();

	private final AtomicBoolean queued = new AtomicBoolean();

	private final long waitMillis;

	private final DiscoveryPacer pacer;

	/**
	 * Creates a gate.
	 * @param settings the timeout and the number of Sentinels bound the wait; the minimum interval paces queued
	 * discoveries
	 */
	RefreshGate(SentinelSettings settings) {
		// A refresh asks each Sentinel with its own timeouts; waiting for a slow one in front is bounded too.
		this.waitMillis = settings.timeout().toMillis() * (2L * settings.sentinels().size() + 2);
		this.pacer = new DiscoveryPacer(settings.refreshMinInterval(), System::nanoTime);
	}

	/**
	 * Runs a discovery once the one in front is done.
	 * @param discovery the discovery
	 * @return its result, or {@code null} when the one in front took longer than the bound
	 */
	@Nullable <T> T run(Supplier<T> discovery) {
		if (!lock()) {
			return null;
		}
		try {
			this.pacer.discoveryStarted();
			return discovery.get();
		}
		finally {
			this.completed.incrementAndGet();
			this.lock.unlock();
		}
	}

	/**
	 * Runs a discovery unless another one completes before this one's turn.
	 * @param discovery the discovery
	 */
	void runUnlessRanMeanwhile(Runnable discovery) {
		long seen = this.completed.get();
		if (!lock()) {
			return;
		}
		try {
			if (this.completed.get() == seen) {
				this.pacer.discoveryStarted();
				discovery.run();
			}
		}
		finally {
			this.completed.incrementAndGet();
			this.lock.unlock();
		}
	}

	/**
	 * Counts a followed {@code +switch-master} as a completed discovery: a {@code READONLY} reply that arrived
	 * before it has its answer.
	 */
	void countCompleted() {
		this.completed.incrementAndGet();
	}

	/**
	 * Queues a discovery unless one is queued already.
	 * @return how long the queued one must wait in nanoseconds, or -1 when one was queued already
	 */
	long queue() {
		return this.queued.compareAndSet(false, true) ? this.pacer.delayNanos() : -1;
	}

	/**
	 * Marks the queued discovery as started: failures from now on queue a new one.
	 */
	void dequeue() {
		this.queued.set(false);
	}

	private boolean lock() {
		try {
			return this.lock.tryLock(this.waitMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
