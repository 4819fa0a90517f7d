package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The calls of one transaction or pipeline on a connection handle, kept so that they can be sent again to a new
 * master when a failover began while they were queued (the old master may acknowledge them, then discard them).
 */
final class QueuedCalls {

	private final boolean pipeline;

	private final long holdsBegunAtStart;

	private final boolean watched;

	private final @Nullable List<Call> calls;

	private boolean writes;

	private boolean nonIdempotentWrites;

	/**
	 * Starts recording.
	 * @param pipeline whether it is a pipeline (else a transaction)
	 * @param holdsBegunAtStart the write guard's count of holds when it began
	 * @param watched whether keys were watched when it began
	 * @param keepCalls whether to keep the calls themselves (only useful where writes can be held)
	 */
	QueuedCalls(boolean pipeline, long holdsBegunAtStart, boolean watched, boolean keepCalls) {
		this.pipeline = pipeline;
		this.holdsBegunAtStart = holdsBegunAtStart;
		this.watched = watched;
		this.calls = keepCalls ? new ArrayList<>() : null;
	}

	void add(@Nullable Method subCommandsGetter, Method method, @Nullable Object @Nullable [] args) {
		if (!ReadOnlyCommands.isReadOnly(method, args)) {
			this.writes = true;
			this.nonIdempotentWrites |= !CommandIdempotency.isIdempotent(method, args);
		}
		if (this.calls != null) {
			this.calls.add(new Call(subCommandsGetter, method, args));
		}
	}

	boolean isPipeline() {
		return this.pipeline;
	}

	boolean hasWrites() {
		return this.writes;
	}

	boolean hasNonIdempotentWrites() {
		return this.nonIdempotentWrites;
	}

	boolean isWatched() {
		return this.watched;
	}

	/**
	 * Whether a hold began since these calls started: they may have gone to the master being replaced.
	 */
	boolean mayHaveReachedAReplacedMaster(WriteGuard guard) {
		return guard.holdsBegun() != this.holdsBegunAtStart;
	}

	List<Call> calls() {
		return (this.calls != null) ? this.calls : List.of();
	}

	/**
	 * One recorded call.
	 * @param subCommandsGetter the getter of the sub-command interface it was made on, or {@code null} for the
	 * connection itself
	 * @param method the method called
	 * @param args its arguments
	 */
	record Call(@Nullable Method subCommandsGetter, Method method, @Nullable Object @Nullable [] args) {
	}

}
