package io.redisdiscovery.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.metrics.RedisDiscoveryMetrics;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of discovery metrics: {@link MeterBinder}s that Spring Boot binds to every meter registry, so
 * Micrometer stays optional. The topology meters are the starter's own; retry calls are counted by Resilience4j's
 * meters, when {@code resilience4j-micrometer} is present. Off with {@code redis.discovery.metrics.enabled=false}.
 * <p>
 * Ordered after Resilience4j's Spring Boot metrics auto-configuration, so that its retry meters, which already count
 * the starter's retry when that retry comes from the application's {@code RetryRegistry}, are not published twice.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class,
		afterName = "io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(TopologySource.class)
@ConditionalOnBooleanProperty(name = "redis.discovery.metrics.enabled", matchIfMissing = true)
@Import(RetryMetricsConfiguration.class)
public final class RedisDiscoveryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisDiscoveryMetrics redisDiscoveryMetrics(TopologySource topology) {
		return new RedisDiscoveryMetrics(topology);
	}

}
