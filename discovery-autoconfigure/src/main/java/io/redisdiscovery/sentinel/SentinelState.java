package io.redisdiscovery.sentinel;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SentinelTopologySource} knows at one moment, as one value. Every method that returns a
 * {@code SentinelState} is a pure transition: it reads nothing but its arguments and this value, so that
 * {@link SentinelStateHolder} may apply it again when another thread changed the state first.
 *
 * @param known the master in use, with its config-epoch, or {@code null} before the first one is confirmed
 * @param masterInUse the master the application's connections were last resolved to, or {@code null} before the
 * first connect; when a different master is adopted, the connections are moved
 * @param failover the failover the Sentinels' events announced and that has not ended yet, or {@code null}
 * @param switchesFollowed how many {@code +switch-master} events were followed: a discovery that began before one
 * must not undo it
 * @param lastSwitchMaster when the last {@code +switch-master} arrived, or {@code null}
 * @param lastProblems what the last discovery could not use, and why
 */
record SentinelState(@Nullable KnownMaster known, @Nullable RedisNode masterInUse, @Nullable Failover failover,
		long switchesFollowed, @Nullable Instant lastSwitchMaster, List<String> lastProblems) {

	/** Before the first discovery. */
	static final SentinelState INITIAL = new SentinelState(null, null, null, 0, null, List.of());

	SentinelState {
		lastProblems = List.copyOf(lastProblems);
	}

	/**
	 * The master in use.
	 * @return its node, or {@code null} before the first one is confirmed
	 */
	@Nullable RedisNode master() {
		return (this.known != null) ? this.known.node() : null;
	}

	/**
	 * After a discovery judged the master it started with against the Sentinels' answers
	 * ({@link MasterSelection#judgedAgainst}); nothing changes if the master changed meanwhile.
	 * @param judgedFrom the master the discovery started with
	 * @param judged what the answers make of it
	 * @return the next state
	 */
	SentinelState judged(@Nullable KnownMaster judgedFrom, @Nullable KnownMaster judged) {
		return Objects.equals(this.known, judgedFrom) ? withKnown(judged, this.masterInUse) : this;
	}

	/**
	 * After a discovery confirmed a master: adopted unless a {@code +switch-master} was followed since the discovery
	 * began, as it may have been stuck on the master that hung while the switch went past it.
	 * @param confirmed the node that answered {@code ROLE} master
	 * @param configEpoch the epoch the Sentinel named it under, if any
	 * @param switchesAtStart {@link #switchesFollowed()} when the discovery began
	 * @return the next state
	 */
	SentinelState discovered(RedisNode confirmed, @Nullable Long configEpoch, long switchesAtStart) {
		return (this.switchesFollowed != switchesAtStart) ? this : adopting(confirmed, configEpoch);
	}

	/**
	 * After a {@code +switch-master} whose master confirmed its role: adopted unless its epoch is not newer than the
	 * master in use ({@link MasterSelection#refusal}).
	 * @param announced the master the event announced
	 * @param configEpoch the epoch a Sentinel gives for it, if any
	 * @return the next state
	 */
	SentinelState switchFollowed(RedisNode announced, @Nullable Long configEpoch) {
		if (MasterSelection.refusal(this.known, announced, configEpoch, null) != null) {
			return this;
		}
		SentinelState adopted = adopting(announced, configEpoch);
		return new SentinelState(adopted.known, adopted.masterInUse, this.failover, this.switchesFollowed + 1,
				this.lastSwitchMaster, this.lastProblems);
	}

	private SentinelState adopting(RedisNode confirmed, @Nullable Long configEpoch) {
		KnownMaster next = KnownMaster.after(this.known, confirmed, configEpoch);
		// Before the first connect there is nothing to move; the first connect resolves to the master then known.
		RedisNode inUse = (this.masterInUse != null) ? confirmed : null;
		return withKnown(next, inUse);
	}

	/**
	 * After the application connected to the master.
	 * @param master the master it was resolved to
	 * @return the next state
	 */
	SentinelState connectedTo(@Nullable RedisNode master) {
		return Objects.equals(this.masterInUse, master) ? this
				: new SentinelState(this.known, master, this.failover, this.switchesFollowed, this.lastSwitchMaster,
						this.lastProblems);
	}

	/**
	 * After a {@code +switch-master} arrived, whatever comes of it.
	 * @param at when
	 * @return the next state
	 */
	SentinelState switchAnnounced(Instant at) {
		return new SentinelState(this.known, this.masterInUse, this.failover, this.switchesFollowed, at,
				this.lastProblems);
	}

	/**
	 * After a discovery, with what it could not use.
	 * @param problems the problems
	 * @return the next state
	 */
	SentinelState withProblems(List<String> problems) {
		return new SentinelState(this.known, this.masterInUse, this.failover, this.switchesFollowed,
				this.lastSwitchMaster, problems);
	}

	/**
	 * After a Sentinel reported a failover: a new one when none is known or the known one's write hold reached
	 * max-duration (its end was missed, so the master it began on and the Sentinels that reported it are stale),
	 * otherwise one more Sentinel reporting the known one.
	 * @param sentinel the Sentinel
	 * @param holdExpired whether the write hold of the known failover ended by max-duration
	 * @return the next state
	 */
	SentinelState failoverStarted(RedisNode sentinel, boolean holdExpired) {
		Failover next = (this.failover == null || holdExpired) ? new Failover(master(), Set.of(sentinel))
				: this.failover.with(sentinel);
		return withFailover(next);
	}

	/**
	 * After a Sentinel gave the failover up.
	 * @param sentinel the Sentinel
	 * @param holdExpired whether the write hold ended by max-duration, which makes the failover over already
	 * @return the next state
	 */
	SentinelState failoverGivenUp(RedisNode sentinel, boolean holdExpired) {
		return withFailover((this.failover != null && !holdExpired) ? this.failover.without(sentinel) : null);
	}

	/**
	 * After the failover ended.
	 * @return the next state
	 */
	SentinelState failoverEnded() {
		return (this.failover != null) ? withFailover(null) : this;
	}

	/**
	 * The failover in progress.
	 * @param holdExpired whether the write hold ended by max-duration: then that failover's end was missed
	 * @return the failover, or {@code null} when none is in progress
	 */
	@Nullable Failover failoverInProgress(boolean holdExpired) {
		return holdExpired ? null : this.failover;
	}

	private SentinelState withKnown(@Nullable KnownMaster known, @Nullable RedisNode masterInUse) {
		return new SentinelState(known, masterInUse, this.failover, this.switchesFollowed, this.lastSwitchMaster,
				this.lastProblems);
	}

	private SentinelState withFailover(@Nullable Failover failover) {
		return new SentinelState(this.known, this.masterInUse, failover, this.switchesFollowed, this.lastSwitchMaster,
				this.lastProblems);
	}

	/**
	 * A failover as the events announced it.
	 *
	 * @param masterAtStart the master when it began, or {@code null} when none was known
	 * @param sentinels the Sentinels that reported it and did not give it up
	 */
	record Failover(@Nullable RedisNode masterAtStart, Set<RedisNode> sentinels) {

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
