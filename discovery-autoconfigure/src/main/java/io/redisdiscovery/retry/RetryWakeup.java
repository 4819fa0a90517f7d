package io.redisdiscovery.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Ends the backoff of waiting retries when something that may have fixed their failure happens: a connection came
 * up, the topology changed. The backoff stays the bound when nothing happens.
 * <p>
 * Callers note {@link #signals()} before an attempt and wait with that count, so a signal that came while the attempt
 * was failing is not missed.
 *
 * @since 0.1.0
 */
public final class RetryWakeup {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition signalled = this.lock.newCondition();

	private final List<MonoSink<Void>> waiting = new ArrayList<>();

	private volatile long signals;

	/** Blocking waits in progress; the reactive ones are {@link #waiting}. */
	private int awaiting;

	/**
	 * Wakes every waiting retry.
	 */
	public void signal() {
		List<MonoSink<Void>> woken;
		this.lock.lock();
		try {
			this.signals++;
			this.signalled.signalAll();
			woken = List.copyOf(this.waiting);
			this.waiting.clear();
		}
		finally {
			this.lock.unlock();
		}
		woken.forEach(MonoSink::success);
	}

	/**
	 * How many signals there have been.
	 * @return the count, to pass to a wait
	 */
	public long signals() {
		return this.signals;
	}

	/**
	 * Whether a retry waits for something to change, that is, whether the application is kept waiting now.
	 * @return {@code true} while at least one retry waits out its backoff
	 */
	public boolean hasWaiters() {
		this.lock.lock();
		try {
			return this.awaiting > 0 || !this.waiting.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until the deadline passes or a signal comes after {@code seen} signals.
	 * @param seen the count noted before the attempt that failed, or {@code -1} to wait until the deadline whatever
	 * comes
	 * @param deadlineNanos the end of the backoff, on {@link System#nanoTime()}'s scale
	 * @return whether a signal ended the wait
	 * @throws InterruptedException when the thread is interrupted
	 */
	boolean await(long seen, long deadlineNanos) throws InterruptedException {
		this.lock.lock();
		this.awaiting++;
		try {
			long left;
			while ((left = deadlineNanos - System.nanoTime()) > 0) {
				if (seen >= 0 && this.signals != seen) {
					return true;
				}
				this.signalled.awaitNanos(left);
			}
			return false;
		}
		finally {
			this.awaiting--;
			this.lock.unlock();
		}
	}

	/**
	 * Completes at the first signal after {@code seen} signals (at once if there was one already).
	 * @param seen the count noted before the attempt that failed
	 * @return a signal to race against the backoff
	 */
	Mono<Void> next(long seen) {
		return Mono.create((sink) -> {
			this.lock.lock();
			try {
				if (this.signals != seen) {
					sink.success();
					return;
				}
				this.waiting.add(sink);
			}
			finally {
				this.lock.unlock();
			}
			sink.onDispose(() -> {
				this.lock.lock();
				try {
					this.waiting.remove(sink);
				}
				finally {
					this.lock.unlock();
				}
			});
		});
	}

}
