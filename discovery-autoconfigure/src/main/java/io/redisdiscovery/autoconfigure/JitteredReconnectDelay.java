package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.resource.Delay;

/**
 * Reconnect delay with full jitter from the first attempt: attempt {@code n} waits a random time between the
 * minimum and {@code min(2^n × minimum, maximum)}. Lettuce's equal-jitter delay clamps its first attempts to the
 * minimum, so many clients that lose the same server all come back in the same few milliseconds.
 */
final class JitteredReconnectDelay extends Delay {

	/** Past this many doublings the window is at its maximum anyway; bounds the shift. */
	private static final int MAX_DOUBLINGS = 30;

	private final long minNanos;

	private final long maxNanos;

	JitteredReconnectDelay(Duration min, Duration max) {
		this.minNanos = min.toNanos();
		this.maxNanos = max.toNanos();
	}

	@Override
	public Duration createDelay(long attempt) {
		int doublings = (int) Math.max(1, Math.min(attempt, MAX_DOUBLINGS));
		long upper = (this.minNanos > (this.maxNanos >> doublings)) ? this.maxNanos : this.minNanos << doublings;
		return Duration.ofNanos(ThreadLocalRandom.current().nextLong(this.minNanos, Math.max(upper, this.minNanos + 1)));
	}

}
