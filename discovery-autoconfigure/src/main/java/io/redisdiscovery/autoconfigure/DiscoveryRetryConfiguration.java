package io.redisdiscovery.autoconfigure;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.redisdiscovery.retry.CommandRetry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Resilience4j {@link Retry} used for Redis. Precedence: an application bean named
 * {@value RedisDiscoveryAutoConfiguration#RETRY_BEAN_NAME}; else the instance {@value #RETRY_NAME} of an application
 * {@link RetryRegistry}; else one built from {@code redis.discovery.retry.*} and
 * {@link RedisDiscoveryRetryConfigCustomizer}s.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "redis.discovery.retry.enabled", matchIfMissing = true)
class DiscoveryRetryConfiguration {

	/** Name of the Retry instance, in a RetryRegistry and in metrics. */
	static final String RETRY_NAME = "redis-discovery";

	@Bean(RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME)
	@ConditionalOnMissingBean(name = RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME)
	Retry redisDiscoveryRetry(RedisDiscoveryProperties properties, ObjectProvider<RetryRegistry> registry,
			ObjectProvider<RedisDiscoveryRetryConfigCustomizer> customizers) {
		RetryRegistry applicationRegistry = registry.getIfUnique();
		if (applicationRegistry != null) {
			return applicationRegistry.retry(RETRY_NAME);
		}
		RedisDiscoveryPropertiesValidator.validateRetry(properties.getRetry());
		RetryConfig.Builder<Object> builder = fromProperties(properties.getRetry());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return Retry.of(RETRY_NAME, builder.build());
	}

	private static RetryConfig.Builder<Object> fromProperties(RedisDiscoveryProperties.Retry retry) {
		IntervalFunction backoff = (retry.getJitter() > 0)
				? IntervalFunction.ofExponentialRandomBackoff(retry.getWaitDuration(), retry.getBackoffMultiplier(),
						retry.getJitter(), retry.getMaxWaitDuration())
				: IntervalFunction.ofExponentialBackoff(retry.getWaitDuration(), retry.getBackoffMultiplier(),
						retry.getMaxWaitDuration());
		return RetryConfig.custom()
			.maxAttempts(retry.getMaxAttempts())
			.intervalFunction(backoff)
			.retryOnException(CommandRetry::retryOnException)
			.failAfterMaxAttempts(false);
	}

}
