package io.redisdiscovery.autoconfigure;


import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RedisUnavailableAtStartupException}: which properties locate Redis, and how to start anyway.
 */
class RedisUnavailableAtStartupFailureAnalyzer extends AbstractFailureAnalyzer<RedisUnavailableAtStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisUnavailableAtStartupException cause) {
		String section = "redis.discovery." + cause.getMode().propertyValue();
		return new FailureAnalysis(cause.getMessage() + ".",
				"Check that Redis is running and that the properties under '" + section
						+ ".*' and the credentials are right, or set 'redis.discovery.startup=lazy' to start without Redis.",
				cause);
	}

}
