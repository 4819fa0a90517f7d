package io.redisdiscovery.autoconfigure.health;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.autoconfigure.RedisDiscoveryProperties;
import io.redisdiscovery.health.BoundedHealthIndicator;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot's {@code redis} health indicator on the starter's factory, bounded: it checks without the starter's
 * retry (which would ride through the outage the check is meant to report) and answers within
 * {@code redis.discovery.health.timeout}. Spring Boot's own contributor backs off, as it does for any bean named
 * {@code redisHealthContributor}; define one to replace this.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class,
		before = { DataRedisHealthContributorAutoConfiguration.class,
				DataRedisReactiveHealthContributorAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RetryingLettuceConnectionFactory.class)
@ConditionalOnEnabledHealthIndicator("redis")
public final class BoundedRedisHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "redisHealthIndicator", "redisHealthContributor" })
	BoundedHealthIndicator redisHealthContributor(RetryingLettuceConnectionFactory connectionFactory,
			RedisDiscoveryProperties properties) {
		return new BoundedHealthIndicator("redis-health",
				new DataRedisHealthIndicator(connectionFactory.withoutRetry()), properties.getHealth().getTimeout());
	}

}
