package io.redisdiscovery.lab;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the lab cannot start or reach something, when a wait times out, or when Redis answers with an error.
 */
public class RedisLabException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public RedisLabException(String message) {
		super(message);
	}

	public RedisLabException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
