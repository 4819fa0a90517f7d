package io.redisdiscovery.retry;

/**
 * Work a discovery mode does between a failed attempt and the next one, for example re-asking Sentinels
 * for the master after {@code READONLY}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RecoveryAction {

	/**
	 * A recovery action that does nothing: Lettuce reconnects to the same address by itself.
	 */
	RecoveryAction NONE = (kind, failure) -> {
	};

	/**
	 * Called before the operation is tried again.
	 * @param kind how the failure was classified
	 * @param failure what the failed attempt threw
	 */
	void beforeRetry(FailureKind kind, Throwable failure);

	/**
	 * Called after every failed attempt, whether it is retried or not (a replaced connection helps the next call
	 * even when this one may not be repeated), before {@link #beforeRetry}. May block: the reactive path calls it
	 * off Lettuce's event loop.
	 * @param kind how the failure was classified
	 * @param failure what the failed attempt threw
	 */
	default void afterFailure(FailureKind kind, Throwable failure) {
	}

	/**
	 * Called after every attempt that succeeded; runs on every command, so it must be cheap and never block.
	 */
	default void afterSuccess() {
	}

}
