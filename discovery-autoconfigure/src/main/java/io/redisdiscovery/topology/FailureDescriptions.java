package io.redisdiscovery.topology;

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
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
