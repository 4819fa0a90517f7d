package io.redisdiscovery.retry;

import io.github.resilience4j.retry.Retry;

/**
 * Runs one Redis operation through a Resilience4j {@link Retry}, retrying only failures that
 * {@link RedisFailureClassifier} deems safe for the operation's idempotency.
 *
 * @since 0.1.0
 */
public final class CommandRetry {

	private final Retry retry;

	private final boolean retryNonIdempotent;

	private final RecoveryAction recoveryAction;

	private final WriteGuard writeGuard;

	/**
	 * Creates a command retry.
	 * @param retry the Resilience4j retry that decides waits and attempts
	 * @param retryNonIdempotent whether non-idempotent commands are retried after a failure that may have reached
	 * the server
	 * @param recoveryAction what to do before each new attempt
	 */
	public CommandRetry(Retry retry, boolean retryNonIdempotent, RecoveryAction recoveryAction) {
		this(retry, retryNonIdempotent, recoveryAction, WriteGuard.NONE);
	}

	/**
	 * Creates a command retry whose writes pass a {@link WriteGuard}.
	 * @param retry the Resilience4j retry that decides waits and attempts
	 * @param retryNonIdempotent whether non-idempotent commands are retried after a failure that may have reached
	 * the server
	 * @param recoveryAction what to do before each new attempt
	 * @param writeGuard what holds and confirms writes
	 */
	public CommandRetry(Retry retry, boolean retryNonIdempotent, RecoveryAction recoveryAction,
			WriteGuard writeGuard) {
		this.retry = retry;
		this.retryNonIdempotent = retryNonIdempotent;
		this.recoveryAction = recoveryAction;
		this.writeGuard = writeGuard;
	}

	/**
	 * The Resilience4j retry in use, for metrics and events.
	 * @return the retry
	 */
	public Retry getRetry() {
		return this.retry;
	}

	/**
	 * What holds and confirms writes.
	 * @return the write guard, {@link WriteGuard#NONE} by default
	 */
	public WriteGuard getWriteGuard() {
		return this.writeGuard;
	}

	boolean isRetryNonIdempotent() {
		return this.retryNonIdempotent;
	}

	RecoveryAction getRecoveryAction() {
		return this.recoveryAction;
	}

	/**
	 * Runs the operation, retrying it where that is safe.
	 * @param <T> the result type
	 * @param idempotent whether the operation may be applied twice
	 * @param operation the operation; receives the attempt number, starting at 1
	 * @return the operation's result
	 * @throws Exception the last failure when no retry is allowed or the attempts are used up
	 */
	public <T> T execute(boolean idempotent, Attempt<T> operation) throws Exception {
		Retry.Context<T> context = this.retry.context();
		for (int attempt = 1;; attempt++) {
			try {
				T result = operation.run(attempt);
				context.onComplete();
				return result;
			}
			catch (Exception ex) {
				FailureKind kind = UnconfirmedWriteException.classify(ex);
				Exception failure = UnconfirmedWriteException.unwrap(ex);
				if (!kind.allowsRetry(idempotent || this.retryNonIdempotent)) {
					throw failure;
				}
				this.recoveryAction.beforeRetry(kind, failure);
				context.onError(failure); // waits, or rethrows when the attempts are used up
			}
		}
	}

	/**
	 * One attempt of an operation.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface Attempt<T> {

		/**
		 * Runs the attempt.
		 * @param attempt the attempt number, starting at 1
		 * @return the result
		 * @throws Exception when the attempt fails
		 */
		T run(int attempt) throws Exception;

	}

}
