package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.lettuce.core.resource.Delay;
import io.redisdiscovery.retry.ReconnectAtOnce;

/**
 * A reconnect delay that keeps its growing backoff only while nobody waits for the connection. While a retry of the
 * application waits, or a subscriber that lost its connection does, attempt {@code n} waits a random time between
 * the pace and twice the pace (or the backoff's delay, if shorter), so that the server is seen accepting again within
 * tens of milliseconds instead of up to {@code redis.discovery.reconnect.max-delay} later. An idle application still
 * backs off, and the jitter of the pace keeps clients that wait together from reconnecting in the same millisecond.
 * The reconnect of a channel the starter closed on purpose, knowing the server answers, goes at once.
 */
final class DemandPacedReconnectDelay extends Delay implements Delay.StatefulDelay {

	private final Delay backoff;

	private final BooleanSupplier demand;

	private final long paceNanos;

	private final Runnable idleBackoffChosen;

	private final BooleanSupplier atOnce;

	/** Attempts made at the pace: they do not lengthen the backoff that applies once nobody waits any more. */
	private final AtomicLong pacedAttempts = new AtomicLong();

	/**
	 * @param backoff the delay while nobody waits
	 * @param demand whether a retry or a subscriber waits now
	 * @param pace the shortest delay while one waits
	 * @param idleBackoffChosen told when the delay returned is the backoff, on the thread that asked for it
	 * ({@link IdleReconnects#nextIsIdleBackoff()})
	 * @param atOnce whether the reconnect asked for goes without delay, asked on the thread that schedules it
	 * ({@link ReconnectAtOnce#asked()}: the starter closed the channel on purpose)
	 */
	DemandPacedReconnectDelay(Delay backoff, BooleanSupplier demand, Duration pace, Runnable idleBackoffChosen,
			BooleanSupplier atOnce) {
		this.backoff = backoff;
		this.demand = demand;
		this.paceNanos = pace.toNanos();
		this.idleBackoffChosen = idleBackoffChosen;
		this.atOnce = atOnce;
	}

	@Override
	public Duration createDelay(long attempt) {
		// Asked even when the pace wins, so that a stateful backoff counts the attempt. Without leaving out the paced
		// attempts, an application that stopped waiting after a few seconds of outage would find the backoff at its
		// longest, and its next command would wait up to max-delay for the reconnect.
		Duration backedOff = this.backoff.createDelay(Math.max(1, attempt - this.pacedAttempts.get()));
		if (this.atOnce.getAsBoolean()) {
			this.pacedAttempts.incrementAndGet();
			return Duration.ZERO;
		}
		if (!this.demand.getAsBoolean()) {
			this.idleBackoffChosen.run();
			return backedOff;
		}
		this.pacedAttempts.incrementAndGet();
		Duration paced = Duration
			.ofNanos(ThreadLocalRandom.current().nextLong(this.paceNanos, 2 * this.paceNanos + 1));
		return (backedOff.compareTo(paced) < 0) ? backedOff : paced;
	}

	@Override
	public void reset() {
		this.pacedAttempts.set(0);
		if (this.backoff instanceof StatefulDelay stateful) {
			stateful.reset();
		}
	}

}
