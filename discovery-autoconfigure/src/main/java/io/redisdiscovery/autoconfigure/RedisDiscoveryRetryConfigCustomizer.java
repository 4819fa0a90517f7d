package io.redisdiscovery.autoconfigure;

import io.github.resilience4j.retry.RetryConfig;

/**
 * Adjusts the Resilience4j retry configuration built from {@code redis.discovery.retry.*}. Not applied when
 * the retry comes from an application-defined {@code RetryRegistry}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RedisDiscoveryRetryConfigCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, already set from the properties
	 */
	void customize(RetryConfig.Builder<Object> builder);

}
