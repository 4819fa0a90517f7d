package io.redisdiscovery.autoconfigure;

import java.time.Duration;

import io.redisdiscovery.retry.PoolSettings;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code redis.discovery.pool.*}: on by default when commons-pool2 is present, with Spring Boot's defaults, and bad
 * values fail naming the property. No connection is opened: the factory connects lazily.
 */
class ConnectionPoolAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter(6379);

	@Test
	void runWhenCommonsPool2IsPresentShouldPoolWithSpringBootDefaults() {
		this.contextRunner.run((context) -> {
			PoolSettings settings = context.getBean(RetryingLettuceConnectionFactory.class).getPoolSettings();
			assertThat(settings).isEqualTo(new PoolSettings(8, 8, 0, Duration.ofMillis(-1), null));
		});
	}

	@Test
	void defaultsShouldMatchSpringBootsPoolProperties() {
		DataRedisProperties.Pool boot = new DataRedisProperties.Pool();
		RedisDiscoveryProperties.Pool ours = new RedisDiscoveryProperties().getPool();
		assertThat(ours.getEnabled()).isEqualTo(boot.getEnabled());
		assertThat(ours.getMaxActive()).isEqualTo(boot.getMaxActive());
		assertThat(ours.getMaxIdle()).isEqualTo(boot.getMaxIdle());
		assertThat(ours.getMinIdle()).isEqualTo(boot.getMinIdle());
		assertThat(ours.getMaxWait()).isEqualTo(boot.getMaxWait());
		assertThat(ours.getTimeBetweenEvictionRuns()).isEqualTo(boot.getTimeBetweenEvictionRuns());
		assertThat(ours.getMaxIdle()).isEqualTo(GenericObjectPoolConfig.DEFAULT_MAX_IDLE);
	}

	@Test
	void runWhenPoolPropertiesAreSetShouldUseThem() {
		this.contextRunner
			.withPropertyValues("redis.discovery.pool.max-active=16", "redis.discovery.pool.max-idle=4",
					"redis.discovery.pool.min-idle=1", "redis.discovery.pool.max-wait=250ms",
					"redis.discovery.pool.time-between-eviction-runs=30s")
			.run((context) -> assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getPoolSettings())
				.isEqualTo(new PoolSettings(16, 4, 1, Duration.ofMillis(250), Duration.ofSeconds(30))));
	}

	@Test
	void runWhenPoolIsDisabledShouldNotPool() {
		this.contextRunner.withPropertyValues("redis.discovery.pool.enabled=false")
			.run((context) -> assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getPoolSettings())
				.isNull());
	}

	@Test
	void runWhenCommonsPool2IsAbsentShouldNotPool() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.commons.pool2"))
			.run((context) -> assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getPoolSettings())
				.isNull());
	}

	@Test
	void runWhenPoolIsEnabledButCommonsPool2IsAbsentShouldFailNamingTheProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.commons.pool2"))
			.withPropertyValues("redis.discovery.pool.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessage("Invalid value of property 'redis.discovery.pool.enabled': it is true but commons-pool2 "
						+ "is not on the class path"));
	}

	@Test
	void runWhenMaxActiveIsZeroShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.pool.max-active=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageStartingWith("Invalid value of property 'redis.discovery.pool.max-active': it is 0"));
	}

	@Test
	void runWhenMinIdleIsNegativeShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.pool.min-idle=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageStartingWith("Invalid value of property 'redis.discovery.pool.min-idle'"));
	}

}
