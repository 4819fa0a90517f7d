package io.redisdiscovery.sentinel;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover the Sentinels' events announced, until it ends, is given up, or its write hold reaches max-duration
 * (its end was missed): the master it began on, and the Sentinels that report it.
 */
final class FailoverTracker {

	// The source's category: these lines belong to its story of the failover.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final String masterName;

	private final FailoverWriteGuard writeGuard;

	private final AtomicReference<@Nullable Failover> failover = new AtomicReference<>();

	FailoverTracker(String masterName, FailoverWriteGuard writeGuard) {
		this.masterName = masterName;
		this.writeGuard = writeGuard;
	}

	/**
	 * Records that a Sentinel reports a failover: a new one when none is known or the known one's hold reached
	 * max-duration (its end was missed, so the master it began on and the Sentinels that reported it are stale and
	 * must not decide when this one ends), otherwise one more Sentinel reporting the known one.
	 * @param sentinel the Sentinel
	 * @param channel the event's channel
	 * @param master the master in use now
	 */
	void startedBy(RedisNode sentinel, String channel, @Nullable RedisNode master) {
		while (true) {
			Failover known = this.failover.get();
			boolean expired = known != null && this.writeGuard.hasHoldExpired();
			Failover next = (known == null || expired) ? new Failover(master, Set.of(sentinel)) : known.with(sentinel);
			if (this.failover.compareAndSet(known, next)) {
				if (expired) {
					logger.info("The end of the earlier failover of '{}' (from {}) was not seen before writes were "
							+ "held for the maximum duration; forgetting it", this.masterName, known.masterAtStart());
				}
				if (known == null || expired) {
					logger.info("Sentinel {} reports a failover of '{}' in progress ({})", sentinel, this.masterName,
							channel);
				}
				return;
			}
		}
	}

	/**
	 * Records that a Sentinel gave the failover up.
	 * @param sentinel the Sentinel
	 * @return whether no Sentinel reports it any more
	 */
	boolean givenUpBy(RedisNode sentinel) {
		Failover remaining = this.failover.updateAndGet(
				(known) -> (known != null && !this.writeGuard.hasHoldExpired()) ? known.without(sentinel) : null);
		return remaining == null || remaining.sentinels().isEmpty();
	}

	/**
	 * Forgets the failover: it ended.
	 */
	void ended() {
		this.failover.set(null);
	}

	/**
	 * The master the failover in progress began on.
	 * @return that master, or {@code null} when no failover is in progress or none was known when it began
	 */
	@Nullable RedisNode masterAtStart() {
		Failover known = inProgress();
		return (known != null) ? known.masterAtStart() : null;
	}

	/**
	 * Whether a failover is in progress that some Sentinel still reports.
	 * @return whether one is
	 */
	boolean isReported() {
		Failover known = inProgress();
		return known != null && !known.sentinels().isEmpty();
	}

	/**
	 * The failover in progress; one whose write hold ended by max-duration is over, as its end was missed.
	 */
	private @Nullable Failover inProgress() {
		Failover known = this.failover.get();
		return (known != null && !this.writeGuard.hasHoldExpired()) ? known : null;
	}

	/**
	 * A failover as the events announced it.
	 *
	 * @param masterAtStart the master when it began, or {@code null} when none was known
	 * @param sentinels the Sentinels that reported it and did not give it up
	 */
	private record Failover(@Nullable RedisNode masterAtStart, Set<RedisNode> sentinels) {

		Failover with(RedisNode sentinel) {
			Set<RedisNode> more = new HashSet<>(this.sentinels);
			more.add(sentinel);
			return new Failover(this.masterAtStart, Set.copyOf(more));
		}

		Failover without(RedisNode sentinel) {
			Set<RedisNode> fewer = new HashSet<>(this.sentinels);
			fewer.remove(sentinel);
			return new Failover(this.masterAtStart, Set.copyOf(fewer));
		}

	}

}
