package io.redisdiscovery.test;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.lab.RedisServer;

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

	/**
	 * A runner with Spring Boot's own Data Redis auto-configuration alone, the reference the starter is compared
	 * with.
	 * @param port the port of a Redis server on 127.0.0.1
	 * @return the runner
	 */
	public static ApplicationContextRunner withSpringBoot(int port) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port);
	}

	/**
	 * A runner with the starter in standalone mode on a server of 127.0.0.1.
	 * @param port the server's port
	 * @return the runner
	 */
	public static ApplicationContextRunner withStarter(int port) {
		return withStarter().withPropertyValues("redis.discovery.mode=standalone",
				"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + port);
	}

	/**
	 * Creates on {@code server} an ACL user that may run every command but {@code DEL}, and gives the properties that
	 * connect as it. The silence watch cannot probe for such a user, so a test of what happens without the watch (a
	 * reply later than the command timeout, the two-timeouts rule) is not cut short by an early replacement of the
	 * connection.
	 * @param server the server
	 * @return the {@code redis.discovery.username} and {@code password} properties
	 */
	public static String[] userWithoutDel(RedisServer server) {
		server.command("ACL", "SETUSER", "no-del", "on", ">no-del-pw", "~*", "&*", "+@all", "-del");
		return new String[] { "redis.discovery.username=no-del", "redis.discovery.password=no-del-pw" };
	}

}
