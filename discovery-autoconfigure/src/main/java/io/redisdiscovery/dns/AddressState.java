package io.redisdiscovery.dns;

import java.time.Instant;

import io.redisdiscovery.topology.NodeRole;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one address of the database hostname; immutable, each change returns the next state.
 *
 * @param inAnswer whether the address is in the latest DNS answer
 * @param connections the open connections to it
 * @param coolingDownUntil until when it is avoided after a failed connection attempt, or {@code null}
 * @param suspectUntil until when it is avoided after a connection dropped and before a TCP check answered, or
 * {@code null}
 * @param checking whether a TCP check of it is running
 * @param role the role a probe found, {@link NodeRole#UNKNOWN} when never probed
 * @param reachable whether the last probe or connection reached it
 * @since 0.1.0
 */
public record AddressState(boolean inAnswer, int connections, @Nullable Instant coolingDownUntil,
		@Nullable Instant suspectUntil, boolean checking, NodeRole role, boolean reachable) {

	/** The state of an address nothing is known about. */
	static final AddressState UNKNOWN = new AddressState(false, 0, null, null, false, NodeRole.UNKNOWN, false);

	/**
	 * Whether the address is avoided at {@code now} because a connection attempt failed.
	 * @param now the time
	 * @return whether it cools down
	 */
	public boolean isCoolingDown(Instant now) {
		return this.coolingDownUntil != null && this.coolingDownUntil.isAfter(now);
	}

	/**
	 * Whether the address is avoided at {@code now} because its connection dropped and no check answered yet.
	 * @param now the time
	 * @return whether it is suspect
	 */
	public boolean isSuspect(Instant now) {
		return this.suspectUntil != null && this.suspectUntil.isAfter(now);
	}

	AddressState inAnswer(boolean inAnswer) {
		// Avoiding an address only makes sense while new connections may pick it.
		return inAnswer ? new AddressState(true, this.connections, this.coolingDownUntil, this.suspectUntil,
				this.checking, this.role, this.reachable)
				: new AddressState(false, this.connections, null, null, this.checking, this.role, this.reachable);
	}

	/**
	 * Forgets the role and reachability learned, for an address that left the answer without a connection on it: an
	 * address that comes back may be another server.
	 */
	AddressState forgettingWhatWasLearned() {
		return new AddressState(this.inAnswer, this.connections, this.coolingDownUntil, this.suspectUntil,
				this.checking, NodeRole.UNKNOWN, false);
	}

	/** A connection was established: the address is reachable, its cool-down and suspicion end. */
	AddressState connected() {
		return new AddressState(this.inAnswer, this.connections + 1, null, null, this.checking, this.role, true);
	}

	AddressState closed() {
		return new AddressState(this.inAnswer, Math.max(0, this.connections - 1), this.coolingDownUntil,
				this.suspectUntil, this.checking, this.role, this.reachable);
	}

	AddressState suspect(Instant until) {
		return new AddressState(this.inAnswer, this.connections, this.coolingDownUntil, this.inAnswer ? until : null,
				this.checking, this.role, this.reachable);
	}

	/** It accepted a TCP connection again: the suspicion ends, a cool-down goes on. */
	AddressState accepts() {
		return new AddressState(this.inAnswer, this.connections, this.coolingDownUntil, null, this.checking,
				this.role, this.reachable);
	}

	/** A connection attempt failed: unreachable, and avoided for the cool-down while in the answer. */
	AddressState failed(Instant coolDownUntil) {
		return new AddressState(this.inAnswer, this.connections, this.inAnswer ? coolDownUntil : null, null,
				this.checking, this.role, false);
	}

	AddressState checking(boolean checking) {
		return new AddressState(this.inAnswer, this.connections, this.coolingDownUntil, this.suspectUntil, checking,
				this.role, this.reachable);
	}

	AddressState probed(NodeRole role, boolean reachable) {
		return new AddressState(this.inAnswer, this.connections, this.coolingDownUntil, this.suspectUntil,
				this.checking, role, reachable);
	}

	/**
	 * Whether the state says nothing an unknown address would not: the book then forgets the address.
	 * @return whether it equals {@link #UNKNOWN}
	 */
	boolean isUnknown() {
		return equals(UNKNOWN);
	}

}
