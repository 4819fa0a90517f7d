package io.redisdiscovery.topology;

import io.redisdiscovery.retry.CauseChain;

/**
 * Short descriptions of failures for topology details: the root cause's type and message.
 *
 * @since 0.1.0
 */
public final class FailureDescriptions {

	private FailureDescriptions() {
	}

	/**
	 * Describes the root cause of a failure.
	 * @param failure the failure
	 * @return for example {@code ConnectException: Connection refused}
	 */
	public static String rootCause(Throwable failure) {
		Throwable root = CauseChain.root(failure);
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
