package io.redisdiscovery.retry;

import java.time.Duration;

/**
 * When the silence watch may probe again after probes that a new connection did not answer either. Such a probe says
 * the server itself is silent (a frozen process or host, whose kernel still accepts), and every further probe dials
 * it: with one probe after another, each racing up to four dials cut short at the handshake deadline, a server frozen
 * for 5 s found about ninety of one client's connections in its accept queue when it thawed, and set up every one
 * before it answered more. So each probe left unanswered doubles the wait before the next, from the quick silence up
 * to a second; a probe that is answered starts over, and so does one a second or more after the wait had run out (a
 * new silence, not the same).
 * <p>
 * The watch's connections share their server, so one backoff serves them all. Its methods run when a connection is
 * already silent, never on a command's path.
 *
 * @since 0.1.0
 */
final class ProbeBackoff {

	private final long firstWaitNanos;

	private final long maxWaitNanos;

	/** Probes left unanswered in a row. */
	private int unanswered;

	/** When the next probe may start, a {@link System#nanoTime()}; meaningful while {@link #unanswered} is above 0. */
	private long nextProbeAt;

	ProbeBackoff(Duration firstWait, Duration maxWait) {
		this.firstWaitNanos = firstWait.toNanos();
		this.maxWaitNanos = maxWait.toNanos();
	}

	/**
	 * Whether a probe may start now.
	 * @param now the {@link System#nanoTime()}
	 * @return {@code true} unless the last probes went unanswered and their wait has not run out
	 */
	synchronized boolean allows(long now) {
		return this.unanswered == 0 || now - this.nextProbeAt >= 0;
	}

	/**
	 * A new connection did not answer the probe (or could not be set up).
	 * @param now the {@link System#nanoTime()} at which the probe gave up
	 */
	synchronized void unanswered(long now) {
		if (this.unanswered > 0 && now - this.nextProbeAt >= this.maxWaitNanos) {
			this.unanswered = 0;
		}
		long wait = this.firstWaitNanos;
		for (int i = 0; i < this.unanswered && wait < this.maxWaitNanos; i++) {
			wait *= 2;
		}
		this.unanswered++;
		this.nextProbeAt = now + Math.min(wait, this.maxWaitNanos);
	}

	/** A new connection answered the probe: the server answers, the next silence is probed at once. */
	synchronized void answered() {
		this.unanswered = 0;
	}

}
