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

	private final RetryWakeup wakeup;

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
		this(retry, retryNonIdempotent, recoveryAction, writeGuard, new RetryWakeup());
	}

	/**
	 * Creates a command retry whose waits end early on a {@link RetryWakeup} signal.
	 * @param retry the Resilience4j retry that decides waits and attempts
	 * @param retryNonIdempotent whether non-idempotent commands are retried after a failure that may have reached
	 * the server
	 * @param recoveryAction what to do before each new attempt
	 * @param writeGuard what holds and confirms writes
	 * @param wakeup what ends a wait before its backoff when a connection comes up or the topology changes
	 */
	public CommandRetry(Retry retry, boolean retryNonIdempotent, RecoveryAction recoveryAction, WriteGuard writeGuard,
			RetryWakeup wakeup) {
		this.retry = retry;
		this.retryNonIdempotent = retryNonIdempotent;
		this.recoveryAction = recoveryAction;
		this.writeGuard = writeGuard;
		this.wakeup = wakeup;
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
		// The asynchronous context leaves the wait to us (it counts the same metrics), so that it can end early.
		Retry.AsyncContext<T> context = this.retry.asyncContext();
		for (int attempt = 1;; attempt++) {
			long signals = this.wakeup.signals();
			try {
				T result = operation.run(attempt);
				context.onComplete();
				return result;
			}
			catch (Exception ex) {
				FailureKind kind = RedisFailureClassifier.classify(ex);
				if (!kind.allowsRetry(idempotent || this.retryNonIdempotent)) {
					throw ex;
				}
				this.recoveryAction.beforeRetry(kind, ex);
				long waitMillis = context.onError(ex);
				if (waitMillis < 0) {
					throw ex; // the attempts are used up
				}
				awaitNextAttempt(signals, waitMillis, ex);
			}
		}
	}

	private void awaitNextAttempt(long signals, long waitMillis, Exception failure) throws Exception {
		try {
			this.wakeup.await(signals, waitMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure.addSuppressed(ex);
			throw failure;
		}
	}

	/**
	 * What ends a wait between attempts early.
	 * @return the wake-up
	 */
	RetryWakeup getWakeup() {
		return this.wakeup;
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
