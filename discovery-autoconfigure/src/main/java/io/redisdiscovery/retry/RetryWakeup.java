package io.redisdiscovery.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Ends the backoff of waiting retries when something that may have fixed their failure happens: a connection came
 * up, the topology changed. The backoff stays the bound when nothing happens.
 * <p>
 * Callers note {@link #signals()} (every signal) and {@link #changes()} (topology changes only) before an attempt and
 * wait with those counts, so a signal that came while the attempt was failing is not missed. A connection that comes
 * up may be anyone's (a discovery's, a slot map refresh's), so a retry lets only one of them end a backoff; a
 * topology change is the event itself (a promotion, a new master) and always does.
 *
 * @since 0.1.0
 */
public final class RetryWakeup {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition signalled = this.lock.newCondition();

	private final List<MonoSink<Void>> waiting = new ArrayList<>();

	private final List<MonoSink<Void>> waitingForChange = new ArrayList<>();

	private volatile long signals;

	private volatile long changes;

	/** Blocking waits in progress; the reactive ones are {@link #waiting}. */
	private int awaiting;

	/** Whether something other than a retry waits for a connection, such as a subscriber cut off from its server. */
	private volatile BooleanSupplier otherWaiters = () -> false;

	/** Told each time a retry starts waiting. */
	private volatile Runnable waitStarted = () -> {
	};

	/**
	 * Wakes the retries that wait for any signal: a connection came up.
	 */
	public void signal() {
		wake(false);
	}

	/**
	 * Wakes every waiting retry: the topology changed.
	 */
	public void topologyChanged() {
		wake(true);
	}

	private void wake(boolean change) {
		List<MonoSink<Void>> woken = new ArrayList<>();
		this.lock.lock();
		try {
			this.signals++;
			woken.addAll(this.waiting);
			this.waiting.clear();
			if (change) {
				this.changes++;
				woken.addAll(this.waitingForChange);
				this.waitingForChange.clear();
			}
			this.signalled.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		woken.forEach(MonoSink::success);
	}

	/**
	 * How many signals there have been, topology changes included.
	 * @return the count, to pass to a wait
	 */
	public long signals() {
		return this.signals;
	}

	/**
	 * How many topology changes there have been.
	 * @return the count, to pass to a wait
	 */
	public long changes() {
		return this.changes;
	}

	/**
	 * Whether the application is kept waiting now: a retry waits out its backoff, or what
	 * {@link #countAlsoWaiting(BooleanSupplier)} names waits.
	 * @return {@code true} while at least one of them waits
	 */
	public boolean hasWaiters() {
		this.lock.lock();
		try {
			if (this.awaiting > 0 || !this.waiting.isEmpty() || !this.waitingForChange.isEmpty()) {
				return true;
			}
		}
		finally {
			this.lock.unlock();
		}
		return this.otherWaiters.getAsBoolean();
	}

	/**
	 * Counts something other than the retries as waiting, for {@link #hasWaiters()}; replaces what an earlier call
	 * gave (the factory makes the one call).
	 * @param waiting whether it waits now; called on Lettuce's threads, so it must not block
	 */
	public void countAlsoWaiting(BooleanSupplier waiting) {
		this.otherWaiters = waiting;
	}

	/**
	 * Runs {@code action} each time a retry starts waiting, before it waits; replaces what an earlier call gave (the
	 * factory makes the one call).
	 * @param action what to do, such as running at once a reconnect scheduled while nobody waited; it must not block
	 */
	public void onWaitStarted(Runnable action) {
		this.waitStarted = action;
	}

	/**
	 * Waits until the deadline passes, a signal comes after {@code seenSignals} signals, or a topology change after
	 * {@code seenChanges} changes.
	 * @param seenSignals the signal count noted before the attempt that failed, or {@code -1} to let only changes end
	 * the wait
	 * @param seenChanges the change count noted before the attempt that failed, or {@code -1} to let no change end it
	 * @param deadlineNanos the end of the backoff, on {@link System#nanoTime()}'s scale
	 * @return whether a signal ended the wait
	 * @throws InterruptedException when the thread is interrupted
	 */
	boolean await(long seenSignals, long seenChanges, long deadlineNanos) throws InterruptedException {
		this.waitStarted.run();
		this.lock.lock();
		this.awaiting++;
		try {
			long left;
			while ((left = deadlineNanos - System.nanoTime()) > 0) {
				if ((seenSignals >= 0 && this.signals != seenSignals)
						|| (seenChanges >= 0 && this.changes != seenChanges)) {
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
		return next(this.waiting, () -> this.signals != seen);
	}

	/**
	 * Completes at the first topology change after {@code seen} changes (at once if there was one already).
	 * @param seen the count noted before the attempt that failed
	 * @return a change to race against the backoff
	 */
	Mono<Void> nextChange(long seen) {
		return next(this.waitingForChange, () -> this.changes != seen);
	}

	private Mono<Void> next(List<MonoSink<Void>> queue, BooleanSupplier alreadyCame) {
		return Mono.create((sink) -> {
			this.waitStarted.run();
			this.lock.lock();
			try {
				if (alreadyCame.getAsBoolean()) {
					sink.success();
					return;
				}
				queue.add(sink);
			}
			finally {
				this.lock.unlock();
			}
			sink.onDispose(() -> {
				this.lock.lock();
				try {
					queue.remove(sink);
				}
				finally {
					this.lock.unlock();
				}
			});
		});
	}

}
