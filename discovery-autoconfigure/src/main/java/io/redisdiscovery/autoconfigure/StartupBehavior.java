package io.redisdiscovery.autoconfigure;

/**
 * What the application does when Redis cannot be reached at startup.
 *
 * @since 0.1.0
 */
public enum StartupBehavior {

	/**
	 * Startup fails unless discovery succeeds and the discovered endpoint answers PING within the connect and
	 * command timeouts (one attempt, no retry).
	 */
	FAIL_FAST,

	/**
	 * The application starts whatever the state of Redis; commands fail, after their retries, until it can be
	 * reached.
	 */
	LAZY

}
