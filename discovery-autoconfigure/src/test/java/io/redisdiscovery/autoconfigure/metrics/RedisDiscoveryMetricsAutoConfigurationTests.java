package io.redisdiscovery.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.metrics.RedisDiscoveryMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RedisDiscoveryMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, RedisDiscoveryMetricsAutoConfiguration.class));

	@Test
	void metricsShouldBeTaggedByMode() {
		this.contextRunner.withPropertyValues("redis.discovery.mode=load-balancer").run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(RedisDiscoveryMetrics.class).bindTo(registry);
			assertThat(registry.get("redis.discovery.endpoints").tag("mode", "load-balancer").gauge().value())
				.isEqualTo(1);
			assertThat(registry.get("redis.discovery.retry.calls").tag("kind", "successful_without_retry")
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("redis.discovery.topology.changes").counter().count()).isZero();
		});
	}

	@Test
	void runWhenDisabledShouldNotCreateMetrics() {
		this.contextRunner.withPropertyValues("redis.discovery.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryMetrics.class));
	}

	@Test
	void runWhenMicrometerIsAbsentShouldNotCreateMetrics() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryMetrics.class));
	}

}
