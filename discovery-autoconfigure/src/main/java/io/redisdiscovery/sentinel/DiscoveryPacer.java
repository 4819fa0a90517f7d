package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces the discoveries that command failures ask for. Each one connects to every Sentinel and probes the master,
 * so with a slow master and many threads failing, unpaced discoveries would run back to back against the node that
 * is struggling. Discoveries the server announces ({@code +switch-master}) do not wait for it.
 * <p>
 * State: when the last discovery began, whatever asked for it.
 */
final class DiscoveryPacer {

	private final long minIntervalNanos;

	private final LongSupplier nanoTime;

	private long lastStartNanos;

	private boolean started;

	/**
	 * Creates a pacer.
	 * @param minInterval shortest time between the start of a discovery and the next one a failure asks for
	 * @param nanoTime the monotonic clock, {@code System::nanoTime} outside tests
	 */
	DiscoveryPacer(Duration minInterval, LongSupplier nanoTime) {
		this.minIntervalNanos = minInterval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Records that a discovery begins now.
	 */
	synchronized void discoveryStarted() {
		this.lastStartNanos = this.nanoTime.getAsLong();
		this.started = true;
	}

	/**
	 * How long a discovery asked for now must wait.
	 * @return the delay in nanoseconds, 0 when it may run at once
	 */
	synchronized long delayNanos() {
		if (!this.started) {
			return 0;
		}
		return Math.max(0, this.lastStartNanos + this.minIntervalNanos - this.nanoTime.getAsLong());
	}

}
