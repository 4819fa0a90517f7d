package io.redisdiscovery.retry;

/**
 * What a failed Redis operation tells about whether trying it again is safe and useful.
 *
 * @since 0.1.0
 */
public enum FailureKind {

	/**
	 * The command never left the client: no connection could be made, or the client rejected it while
	 * disconnected. Safe to retry for every command.
	 */
	NOT_SENT(true, true),

	/**
	 * The server answered that it did not execute the command now ({@code READONLY}, {@code LOADING},
	 * {@code MASTERDOWN}, {@code TRYAGAIN}, {@code CLUSTERDOWN}). Safe to retry for every command.
	 */
	REJECTED_BY_SERVER(true, true),

	/**
	 * The command may have reached the server but no answer came (timeout, connection lost while in flight).
	 * Safe to retry only for idempotent commands.
	 */
	MAYBE_SENT(true, false),

	/**
	 * A retry cannot help: authentication, wrong type, syntax or script errors, a TLS certificate or handshake
	 * the client or server rejects, or anything unknown.
	 */
	FATAL(false, false);

	private final boolean retryableWhenIdempotent;

	private final boolean retryableWhenNotIdempotent;

	FailureKind(boolean retryableWhenIdempotent, boolean retryableWhenNotIdempotent) {
		this.retryableWhenIdempotent = retryableWhenIdempotent;
		this.retryableWhenNotIdempotent = retryableWhenNotIdempotent;
	}

	/**
	 * Whether a command of the given idempotency may be sent again after this failure.
	 * @param idempotent whether sending the command twice has the same effect as sending it once
	 * @return whether a retry is safe
	 */
	public boolean allowsRetry(boolean idempotent) {
		return idempotent ? this.retryableWhenIdempotent : this.retryableWhenNotIdempotent;
	}

}
