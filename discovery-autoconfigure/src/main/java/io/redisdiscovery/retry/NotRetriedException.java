package io.redisdiscovery.retry;

/**
 * Tells Resilience4j that the starter ended a call on a failure it did not retry, although the retry's exception
 * predicate might accept that failure (a command that may have reached the server and is not idempotent, say).
 * Resilience4j counts a failure its predicate rejects as the end of the call ({@code failed_without_retry}); one it
 * accepts as a retried attempt, which the starter would then never make, so the call would be counted nowhere.
 * <p>
 * Only passed to {@link io.github.resilience4j.retry.Retry.AsyncContext#onError(Throwable)} and to retry events; the
 * application always gets the cause. The starter's own retry configuration rejects it (see
 * {@link CommandRetry#retryOnException(Throwable)}); a retry taken from an application's {@code RetryRegistry}
 * counts such calls right only if its configuration rejects it too, for instance through
 * {@code ignoreExceptions(NotRetriedException.class)}.
 *
 * @since 0.1.0
 */
public final class NotRetriedException extends Exception {

	private static final long serialVersionUID = 1L;

	NotRetriedException(Throwable failure) {
		super(failure.getMessage(), failure, false, false);
	}

}
