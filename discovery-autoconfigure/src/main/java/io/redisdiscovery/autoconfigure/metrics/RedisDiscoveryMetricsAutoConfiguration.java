package io.redisdiscovery.autoconfigure.metrics;

import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.metrics.RedisDiscoveryMetrics;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of discovery metrics: a {@link MeterBinder} that Spring Boot binds to every meter registry,
 * so Micrometer stays optional. Off with {@code redis.discovery.metrics.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(TopologySource.class)
@ConditionalOnBooleanProperty(name = "redis.discovery.metrics.enabled", matchIfMissing = true)
public final class RedisDiscoveryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisDiscoveryMetrics redisDiscoveryMetrics(TopologySource topology,
			@Qualifier("redisDiscoveryRetry") ObjectProvider<Retry> retry) {
		return new RedisDiscoveryMetrics(topology, retry.getIfAvailable());
	}

}
