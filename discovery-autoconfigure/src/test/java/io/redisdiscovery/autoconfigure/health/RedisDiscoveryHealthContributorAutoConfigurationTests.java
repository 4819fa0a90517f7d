package io.redisdiscovery.autoconfigure.health;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.health.RedisDiscoveryHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RedisDiscoveryHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(RedisDiscoveryAutoConfiguration.class, RedisDiscoveryHealthContributorAutoConfiguration.class));

	@Test
	void runShouldCreateIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisDiscoveryHealthIndicator.class)
			.hasBean("redisDiscoveryHealthIndicator"));
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.redisdiscovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryHealthIndicator.class));
	}

	@Test
	void runWhenHealthIsAbsentShouldNotCreateIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryHealthIndicator.class));
	}

	@Test
	void runWhenUserDefinesIndicatorByNameShouldBackOff() {
		this.contextRunner
			.withBean("redisDiscoveryHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(RedisDiscoveryHealthIndicator.class)
				.hasBean("redisDiscoveryHealthIndicator"));
	}

}
