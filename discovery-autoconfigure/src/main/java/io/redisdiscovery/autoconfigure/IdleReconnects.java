package io.redisdiscovery.autoconfigure;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import org.jspecify.annotations.Nullable;

/**
 * Lettuce's timer, as the factory's connections see it, with one addition: a reconnect that Lettuce scheduled with the
 * backoff of an idle application (up to {@code reconnect.max-delay} away) runs at once when the application starts
 * waiting for the connection. Without it, the first command after an idle outage waits for that reconnect although
 * the server may have been accepting for a while.
 * <p>
 * Lettuce asks a connection's reconnect delay and, on the same thread and at once, schedules the reconnect on this
 * timer with it; so {@link DemandPacedReconnectDelay} calls {@link #nextIsIdleBackoff()} when it chooses the backoff,
 * and the next timeout scheduled on that thread is such a reconnect. Every other timeout goes to the timer unchanged.
 * A reconnect scheduled while the application waits already comes at the short pace, and is left alone.
 */
final class IdleReconnects implements Timer {

	private final Timer timer;

	/** Set by the reconnect delay, taken by the next {@link #newTimeout} on the same thread. */
	private final ThreadLocal<Boolean> idleBackoffChosen = new ThreadLocal<>();

	/** Reconnects scheduled with the idle backoff that have not run yet. */
	private final Set<IdleReconnect> scheduled = ConcurrentHashMap.newKeySet();

	IdleReconnects(Timer timer) {
		this.timer = timer;
	}

	/** The reconnect Lettuce schedules next on this thread uses the idle backoff. */
	void nextIsIdleBackoff() {
		this.idleBackoffChosen.set(Boolean.TRUE);
	}

	/** Runs every reconnect scheduled with the idle backoff now: the application waits for it. */
	void runNow() {
		this.scheduled.forEach(IdleReconnect::runNow);
	}

	@Override
	public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
		if (this.idleBackoffChosen.get() == null) {
			return this.timer.newTimeout(task, delay, unit);
		}
		this.idleBackoffChosen.remove();
		IdleReconnect reconnect = new IdleReconnect(task);
		this.scheduled.add(reconnect);
		reconnect.pending = this.timer.newTimeout((timeout) -> reconnect.delayEnded(), delay, unit);
		return reconnect;
	}

	@Override
	public Set<Timeout> stop() {
		return this.timer.stop();
	}

	/**
	 * One reconnect: it runs once, when its delay ends or at {@link #runNow()}, whichever comes first, and not at all
	 * once Lettuce cancelled it (on close).
	 */
	private final class IdleReconnect implements Timeout {

		private final TimerTask task;

		/** Whether it ran, or was cancelled: whatever comes first claims it. */
		private final AtomicBoolean claimed = new AtomicBoolean();

		private volatile boolean cancelled;

		/** The timer's timeout for its delay; {@code null} for the instant before it is scheduled. */
		private volatile @Nullable Timeout pending;

		IdleReconnect(TimerTask task) {
			this.task = task;
		}

		void runNow() {
			if (claim()) {
				cancelPending();
				IdleReconnects.this.timer.newTimeout((timeout) -> this.task.run(this), 0, TimeUnit.MILLISECONDS);
			}
		}

		void delayEnded() throws Exception {
			if (claim()) {
				this.task.run(this);
			}
		}

		private boolean claim() {
			IdleReconnects.this.scheduled.remove(this);
			return this.claimed.compareAndSet(false, true);
		}

		private void cancelPending() {
			Timeout pending = this.pending;
			if (pending != null) {
				pending.cancel();
			}
		}

		@Override
		public Timer timer() {
			return IdleReconnects.this;
		}

		@Override
		public TimerTask task() {
			return this.task;
		}

		@Override
		public boolean isExpired() {
			return this.claimed.get() && !this.cancelled;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean cancel() {
			if (!claim()) {
				return false;
			}
			this.cancelled = true;
			cancelPending();
			return true;
		}

	}

}
