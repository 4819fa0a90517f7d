package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.DiscoveryMode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @DataRedisTest} slice includes the starter (through its {@code AutoConfigureDataRedis.imports}), and
 * the starter takes the endpoint from the connection details bean a {@code @ServiceConnection} container would
 * contribute. Nothing connects: the check is on the wiring.
 */
@DataRedisTest
class ConnectionDetailsDataRedisTestSliceTests {

	@Autowired
	private RedisConnectionFactory connectionFactory;

	@Autowired
	private DiscoverySettings settings;

	@Test
	void sliceShouldUseTheStarterFactoryWithTheConnectionDetails() {
		assertThat(this.connectionFactory).isInstanceOf(RetryingLettuceConnectionFactory.class);
		assertThat(this.settings.mode()).isEqualTo(DiscoveryMode.STANDALONE);
		assertThat(((RetryingLettuceConnectionFactory) this.connectionFactory)
			.getHostName()).isEqualTo("redis.slice.internal");
	}

	/**
	 * Stands in for the application class; the package registration is what Spring Data's repository scanning in
	 * the slice needs, without scanning this package's other test configurations.
	 */
	@SpringBootConfiguration
	@AutoConfigurationPackage
	static class SliceConfiguration {

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			return TestConnectionDetails.standalone("redis.slice.internal", 6380, 0, null);
		}

	}

}
