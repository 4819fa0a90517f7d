package io.redisdiscovery.sentinel;

import io.redisdiscovery.autoconfigure.InvalidDiscoveryPropertyException;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelPropertiesValidationTests {

	private static final String PASSWORD = "n0t-In-Messages";

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter()
		.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=mymaster",
				"redis.discovery.sentinel.nodes=127.0.0.1:26379", "redis.discovery.sentinel.password=" + PASSWORD);

	@Test
	void runWhenMasterIsMissingShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.master", "redis.discovery.sentinel.master=");
	}

	@Test
	void runWhenNodesAreMissingShouldFailNamingThem() {
		assertFailure("redis.discovery.sentinel.nodes", "redis.discovery.sentinel.nodes=");
	}

	@Test
	void runWhenANodeIsMalformedShouldFailNamingItsIndex() {
		assertFailure("redis.discovery.sentinel.nodes[1]",
				"redis.discovery.sentinel.nodes=127.0.0.1:26379,sentinel-without-port");
	}

	@Test
	void runWhenCheckIntervalIsZeroShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.check-interval", "redis.discovery.sentinel.check-interval=0s");
	}

	@Test
	void runWhenRefreshMinIntervalIsZeroShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.refresh.min-interval",
				"redis.discovery.sentinel.refresh.min-interval=0s");
	}

	@Test
	void runWhenWaitReplicasIsNegativeShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.wait.replicas", "redis.discovery.sentinel.wait.replicas=-1");
	}

	@Test
	void runWhenWaitTimeoutIsNotShorterThanCommandTimeoutShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.wait.timeout", "redis.discovery.sentinel.wait.replicas=1",
				"redis.discovery.sentinel.wait.timeout=2s");
	}

	@Test
	void runWhenHoldMaxDurationIsNegativeShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.failover-hold.max-duration",
				"redis.discovery.sentinel.failover-hold.max-duration=-1s");
	}

	@Test
	void runWhenSentinelUsernameIsSetWithoutSentinelPasswordShouldFailNamingIt() {
		assertFailure("redis.discovery.sentinel.username", "redis.discovery.sentinel.username=sentinel-user",
				"redis.discovery.sentinel.password=");
	}

	private void assertFailure(String property, String... values) {
		this.contextRunner.withPropertyValues(values).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidDiscoveryPropertyException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo(property))
				.message()
				.doesNotContain(PASSWORD);
		});
	}

}
