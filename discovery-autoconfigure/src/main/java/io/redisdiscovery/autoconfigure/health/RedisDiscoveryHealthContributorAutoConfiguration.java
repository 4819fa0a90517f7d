package io.redisdiscovery.autoconfigure.health;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.autoconfigure.RedisDiscoveryProperties;
import io.redisdiscovery.health.RedisDiscoveryHealthIndicator;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code redisDiscovery} health indicator, beside Spring Boot's {@code redis} one.
 * Turn it off with {@code management.health.redisdiscovery.enabled=false}; replace it with a bean named
 * {@code redisDiscoveryHealthIndicator}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(TopologySource.class)
@ConditionalOnEnabledHealthIndicator("redisdiscovery")
public final class RedisDiscoveryHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisDiscoveryHealthIndicator")
	RedisDiscoveryHealthIndicator redisDiscoveryHealthIndicator(TopologySource topology,
			RedisDiscoveryProperties properties) {
		return new RedisDiscoveryHealthIndicator(topology, properties.getHealth().getTimeout());
	}

}
