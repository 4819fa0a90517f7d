package io.redisdiscovery.retry;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
	 * The {@code retryOnException} predicate of the starter's own Resilience4j configuration: a failure is retried
	 * unless it is {@link FailureKind#FATAL} or a {@link NotRetriedException}. Whether a retry is safe for the command
	 * is decided per call, and a call the starter does not retry reaches Resilience4j as a failure this predicate
	 * rejects, so that it counts as failed without retry.
	 * @param failure the failure of an attempt
	 * @return whether Resilience4j may retry it
	 */
	public static boolean retryOnException(Throwable failure) {
		return !(failure instanceof NotRetriedException)
				&& RedisFailureClassifier.classify(failure) != FailureKind.FATAL;
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
		int attempt = 0;
		while (true) {
			long signals = this.wakeup.signals();
			long changes = this.wakeup.changes();
			try {
				return succeed(operation, ++attempt, context);
			}
			catch (Exception ex) {
				Exception failure = recoverOrThrow(ex, idempotent, context);
				long waitMillis = context.onError(failure);
				if (waitMillis < 0) {
					throw failure; // the attempts are used up
				}
				long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
				// A wake-up that cuts the backoff short brings an early attempt, which does not count against the
				// budget. A topology change brings one each time, so a promotion announced later in the backoff is
				// not waited past. A connection coming up (which may be anyone's) brings one per backoff, so a burst
				// of connections opened by a discovery cannot spend attempts faster than the backoff allows; changes
				// that come before the application's own reconnect do not use it up.
				boolean connectionSpent = false;
				while (await(connectionSpent ? -1 : signals, changes, deadline, failure, context)) {
					long changesNow = this.wakeup.changes();
					connectionSpent |= changesNow == changes; // woken by a connection, not by a change
					signals = this.wakeup.signals();
					changes = changesNow;
					try {
						return succeed(operation, ++attempt, context);
					}
					catch (Exception early) {
						failure = recoverOrThrow(early, idempotent, context);
					}
				}
			}
		}
	}

	/** Runs one attempt; when it succeeds, the call ends with its result. */
	private <T> T succeed(Attempt<T> operation, int attempt, Retry.AsyncContext<T> context) throws Exception {
		T result = operation.run(attempt);
		this.recoveryAction.afterSuccess();
		context.onComplete();
		return result;
	}

	/**
	 * The failure as the application should see it, after the recovery action, or thrown when not retried (and then
	 * counted as the end of the call).
	 */
	private Exception recoverOrThrow(Exception ex, boolean idempotent, Retry.AsyncContext<?> context)
			throws Exception {
		FailureKind kind = UnconfirmedWriteException.classify(ex);
		Exception failure = UnconfirmedWriteException.unwrap(ex);
		this.recoveryAction.afterFailure(kind, failure);
		if (!kind.allowsRetry(idempotent || this.retryNonIdempotent)) {
			countNotRetried(this.retry, context, failure);
			throw failure;
		}
		this.recoveryAction.beforeRetry(kind, failure);
		return failure;
	}

	/**
	 * Counts a call that ends on a failure the starter does not retry, once, as Resilience4j counts a failure its
	 * predicate rejects: {@code failed_without_retry}, whatever attempts came before (Resilience4j's own decorators
	 * count such a call the same way).
	 * <p>
	 * A configuration whose predicate accepts even a {@link NotRetriedException} (an application's
	 * {@code RetryRegistry} that retries every exception) leaves no way to count it: Resilience4j would count a retry
	 * that never happens and publish a retry event for it, so the call is not counted.
	 * @param retry the retry whose configuration decides how the failure is passed
	 * @param context the call's context
	 * @param failure the failure the application gets
	 */
	static void countNotRetried(Retry retry, Retry.AsyncContext<?> context, Throwable failure) {
		Predicate<Throwable> retried = retry.getRetryConfig().getExceptionPredicate();
		if (!retried.test(failure)) {
			context.onError(failure); // the failure itself where possible, so that the retry event shows it
			return;
		}
		NotRetriedException notRetried = new NotRetriedException(failure);
		if (!retried.test(notRetried)) {
			context.onError(notRetried);
		}
	}

	/**
	 * Waits until the deadline, or until a signal after {@code signals} ({@code -1}: none ends it) or a topology
	 * change after {@code changes}.
	 * @return whether a signal or change ended the wait before the deadline
	 */
	private boolean await(long signals, long changes, long deadline, Exception failure, Retry.AsyncContext<?> context)
			throws Exception {
		try {
			return this.wakeup.await(signals, changes, deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure.addSuppressed(ex);
			countNotRetried(this.retry, context, failure);
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
