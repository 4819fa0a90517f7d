package io.redisdiscovery.sentinel;

import io.redisdiscovery.sentinel.SentinelState.Failover;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the failover the Sentinels' events announce, until it ends, is given up, or its write hold reaches
 * max-duration (its end was missed), and holds writes meanwhile. The failover itself is part of the
 * {@link SentinelState}; this class applies its transitions and their effects on the {@link FailoverWriteGuard}.
 */
final class FailoverTracker {

	// The source's category: these lines belong to its story of the failover.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final String masterName;

	private final FailoverWriteGuard writeGuard;

	private final SentinelStateHolder state;

	FailoverTracker(String masterName, FailoverWriteGuard writeGuard, SentinelStateHolder state) {
		this.masterName = masterName;
		this.writeGuard = writeGuard;
		this.state = state;
	}

	/**
	 * Records that a Sentinel reports a failover of the master in use, then holds writes.
	 * @param sentinel the Sentinel
	 * @param channel the event's channel
	 */
	void startedBy(RedisNode sentinel, String channel) {
		boolean[] expired = new boolean[1];
		SentinelStateHolder.Change change = this.state.update((state) -> {
			expired[0] = state.failover() != null && this.writeGuard.hasHoldExpired();
			return state.failoverStarted(sentinel, expired[0]);
		});
		Failover known = change.before().failover();
		if (expired[0] && known != null) {
			logger.info("The end of the earlier failover of '{}' (from {}) was not seen before writes were "
					+ "held for the maximum duration; forgetting it", this.masterName, known.masterAtStart());
		}
		if (known == null || expired[0]) {
			logger.info("Sentinel {} reports a failover of '{}' in progress ({})", sentinel, this.masterName,
					channel);
		}
		// Recorded before the hold starts: a discovery that sees the hold must also see where it began.
		this.writeGuard.hold();
	}

	/**
	 * Records that a Sentinel gave the failover up.
	 * @param sentinel the Sentinel
	 * @return whether no Sentinel reports it any more
	 */
	boolean givenUpBy(RedisNode sentinel) {
		Failover remaining = this.state
			.update((state) -> state.failoverGivenUp(sentinel, this.writeGuard.hasHoldExpired()))
			.after()
			.failover();
		return remaining == null || remaining.sentinels().isEmpty();
	}

	/**
	 * Forgets the failover and lets held writes go.
	 * @param why what ended it, for the log
	 */
	void end(String why) {
		this.state.update(SentinelState::failoverEnded);
		if (this.writeGuard.isHoldingWrites()) {
			logger.info("Releasing writes held for the failover of '{}': {}", this.masterName, why);
		}
		this.writeGuard.release();
	}

	/**
	 * Whether writes are held for a failover.
	 * @return whether they are
	 */
	boolean isHoldingWrites() {
		return this.writeGuard.isHoldingWrites();
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
	 * Whether a failover is in progress: writes are held for it, or some Sentinel still reports it.
	 * @return whether one is
	 */
	boolean isInProgress() {
		Failover known = inProgress();
		return this.writeGuard.isHoldingWrites() || (known != null && !known.sentinels().isEmpty());
	}

	private @Nullable Failover inProgress() {
		return this.state.get().failoverInProgress(this.writeGuard.hasHoldExpired());
	}

}
