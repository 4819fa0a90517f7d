package io.redisdiscovery.sentinel;

import java.time.Duration;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Thrown when a write waited a whole attempt for a failover to finish; the write was not sent, so the retry
 * policy may try it again.
 *
 * @since 0.1.0
 */
public class WritesHeldException extends RedisConnectionFailureException {

	/**
	 * Creates an exception.
	 * @param waited how long the write waited
	 */
	public WritesHeldException(Duration waited) {
		super("Write not sent: held for " + waited.toMillis() + " ms while Sentinels fail over the master");
	}

}
