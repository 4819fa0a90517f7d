package io.redisdiscovery.autoconfigure.metrics;

import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetricsPublisher;
import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.metrics.RedisDiscoveryRetryMetrics;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resilience4j's retry meters for the starter's retry. Backs off when the application publishes Resilience4j's retry
 * meters itself (a {@link TaggedRetryMetrics} or {@link TaggedRetryMetricsPublisher} bean, as Resilience4j's Spring
 * Boot integration defines): the starter's retry then comes from the application's {@code RetryRegistry}, whose
 * retries those meters already count.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TaggedRetryMetricsPublisher.class)
@ConditionalOnBean(name = RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME)
@ConditionalOnMissingBean({ TaggedRetryMetrics.class, TaggedRetryMetricsPublisher.class })
class RetryMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisDiscoveryRetryMetrics redisDiscoveryRetryMetrics(
			@Qualifier(RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME) Retry retry) {
		return new RedisDiscoveryRetryMetrics(retry);
	}

}
