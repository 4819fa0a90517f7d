package io.redisdiscovery.test;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts as a user application gets them: the starter's and Spring Boot's Redis
 * auto-configurations.
 */
public final class DiscoveryContextRunners {

	private DiscoveryContextRunners() {
	}

	/**
	 * A runner with the starter and Spring Boot's Data Redis auto-configuration.
	 * @return the runner
	 */
	public static ApplicationContextRunner withStarter() {
		return new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class));
	}

}
