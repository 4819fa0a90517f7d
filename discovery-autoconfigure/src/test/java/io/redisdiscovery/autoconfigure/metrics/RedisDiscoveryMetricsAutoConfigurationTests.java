package io.redisdiscovery.autoconfigure.metrics;

import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.metrics.RedisDiscoveryMetrics;
import io.redisdiscovery.metrics.RedisDiscoveryRetryMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisDiscoveryMetricsAutoConfigurationTests {

	private static final String[] RETRY_KINDS = { "successful_without_retry", "successful_with_retry",
			"failed_with_retry", "failed_without_retry" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				RedisDiscoveryAutoConfiguration.class, RedisDiscoveryMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("redis.discovery.mode=load-balancer");

	@Test
	void topologyMetersShouldBeTaggedByMode() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.discovery.endpoints").tag("mode", "load-balancer").gauge().value())
				.isEqualTo(1);
			assertThat(registry.get("redis.discovery.topology.changes").tag("mode", "load-balancer").counter().count())
				.isZero();
			assertThat(registry.get("redis.discovery.failovers").tag("mode", "load-balancer").counter().count())
				.isZero();
		});
	}

	@Test
	void retryCallsShouldBeResilience4jsMetersOfTheStartersRetry() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String kind : RETRY_KINDS) {
				assertThat(registry.get("resilience4j.retry.calls")
					.tag("name", "redis-discovery")
					.tag("kind", kind)
					.functionCounter()
					.count()).as(kind).isZero();
			}
			assertThat(registry.find("redis.discovery.retry.calls").meters()).isEmpty();
		});
	}

	@Test
	void runWhenRetryIsDisabledShouldPublishTopologyMetersOnly() {
		this.contextRunner.withPropertyValues("redis.discovery.retry.enabled=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(context).hasSingleBean(RedisDiscoveryMetrics.class)
				.doesNotHaveBean(RedisDiscoveryRetryMetrics.class);
			assertThat(registry.find("redis.discovery.endpoints").gauge()).isNotNull();
			assertThat(registry.find("resilience4j.retry.calls").meters()).isEmpty();
		});
	}

	@Test
	void runWhenResilience4jMicrometerIsAbsentShouldPublishTopologyMetersOnly() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.github.resilience4j.micrometer"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(RedisDiscoveryMetrics.class)
					.doesNotHaveBean(RedisDiscoveryRetryMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("redis.discovery.endpoints").gauge()).isNotNull();
				assertThat(registry.find("resilience4j.retry.calls").meters()).isEmpty();
			});
	}

	@Test
	void runWhenApplicationPublishesItsRetryRegistrysMetersShouldNotPublishTheStartersRetryAgain() {
		this.contextRunner.withUserConfiguration(Resilience4jMetricsConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(RedisDiscoveryRetryMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// The starter's retry comes from the application's registry, whose meters count it.
			assertThat(registry.find("resilience4j.retry.calls").tag("name", "redis-discovery").meters())
				.hasSize(RETRY_KINDS.length);
		});
	}

	@Test
	void runWhenDisabledShouldNotCreateMetrics() {
		this.contextRunner.withPropertyValues("redis.discovery.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryMetrics.class)
				.doesNotHaveBean(RedisDiscoveryRetryMetrics.class));
	}

	@Test
	void runWhenMicrometerIsAbsentShouldNotCreateMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class,
					RedisDiscoveryMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisDiscoveryMetrics.class)
				.doesNotHaveBean(RedisDiscoveryRetryMetrics.class));
	}

	/**
	 * What Resilience4j's Spring Boot integration defines when its legacy metrics are on: a registry and its meters.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Resilience4jMetricsConfiguration {

		@Bean
		RetryRegistry retryRegistry() {
			return RetryRegistry.ofDefaults();
		}

		@Bean
		TaggedRetryMetrics taggedRetryMetrics(RetryRegistry retryRegistry) {
			return TaggedRetryMetrics.ofRetryRegistry(retryRegistry);
		}

	}

}
