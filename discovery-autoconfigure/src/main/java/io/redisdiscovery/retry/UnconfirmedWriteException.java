package io.redisdiscovery.retry;

/**
 * Carries, within one retried operation, a failure that came after part of the operation was applied: a write whose
 * confirmation failed ({@code WAIT}), or a later command of a call Spring Data runs as several across cluster slots
 * ({@link CrossSlotCalls}). The failure counts as one that may have been sent however the last command failed, so an
 * operation that is not idempotent is not sent again. Never leaves the retry: the caller gets the cause.
 */
final class UnconfirmedWriteException extends Exception {

	private final Exception failure;

	UnconfirmedWriteException(Exception failure) {
		super(failure.getMessage(), failure, false, false);
		this.failure = failure;
	}

	/**
	 * What a failed attempt tells about retrying it.
	 * @param failure the attempt's failure
	 * @return its kind; at least {@link FailureKind#MAYBE_SENT} for an unconfirmed write
	 */
	static FailureKind classify(Throwable failure) {
		if (!(failure instanceof UnconfirmedWriteException unconfirmed)) {
			return RedisFailureClassifier.classify(failure);
		}
		FailureKind kind = RedisFailureClassifier.classify(unconfirmed.failure);
		// Not sent or rejected applies to the WAIT only: the write before it was applied.
		return (kind == FailureKind.NOT_SENT || kind == FailureKind.REJECTED_BY_SERVER) ? FailureKind.MAYBE_SENT
				: kind;
	}

	/**
	 * The failure the caller sees.
	 * @param failure the attempt's failure
	 * @return the confirmation's failure for an unconfirmed write, else {@code failure}
	 */
	static Exception unwrap(Exception failure) {
		return (failure instanceof UnconfirmedWriteException unconfirmed) ? unconfirmed.failure : failure;
	}

	/**
	 * The failure the caller sees.
	 * @param failure the attempt's failure
	 * @return the confirmation's failure for an unconfirmed write, else {@code failure}
	 */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof UnconfirmedWriteException unconfirmed) ? unconfirmed.failure : failure;
	}

}
