package io.redisdiscovery.sentinel;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one place where the {@link SentinelState} of a source changes: each change is a pure transition applied
 * atomically, retried when another thread changed the state first.
 */
final class SentinelStateHolder {

	private final AtomicReference<SentinelState> state = new AtomicReference<>(SentinelState.INITIAL);

	/**
	 * The state now.
	 * @return the state
	 */
	SentinelState get() {
		return this.state.get();
	}

	/**
	 * Applies a transition.
	 * @param transition a pure function of the state; it may run more than once
	 * @return the state it was applied to and the state it made
	 */
	Change update(UnaryOperator<SentinelState> transition) {
		while (true) {
			SentinelState before = this.state.get();
			SentinelState after = transition.apply(before);
			if (this.state.compareAndSet(before, after)) {
				return new Change(before, after);
			}
		}
	}

	/**
	 * One applied transition.
	 *
	 * @param before the state it was applied to
	 * @param after the state it made
	 */
	record Change(SentinelState before, SentinelState after) {

	}

}
