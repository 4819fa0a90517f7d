package io.redisdiscovery.autoconfigure;

import java.time.Duration;

import io.redisdiscovery.retry.PoolSettings;
import io.redisdiscovery.topology.DiscoveryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.redisdiscovery.autoconfigure.StartedContexts.factory;
import static io.redisdiscovery.autoconfigure.StartedContexts.invalidPropertyAnalysis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the precedence between {@code redis.discovery.*}, connection details and {@code spring.data.redis.*},
 * and for the {@code spring.data.redis.*} settings the starter refuses. No Redis is needed: nothing connects.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionDetailsAutoConfigurationTests {

	private static final String SECRET = "n0t-In-Logs-Pw";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void runWhenConnectionDetailsBeanShouldUseItWithoutChangingBoundProperties(CapturedOutput output) {
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.standalone("redis.internal", 6380, 3, SECRET))
			.withPropertyValues("redis.discovery.timeout.command=750ms")
			.run((context) -> {
				LettuceConnectionFactory lettuce = factory(context);
				assertThat(lettuce.getHostName()).isEqualTo("redis.internal");
				assertThat(lettuce.getPort()).isEqualTo(6380);
				assertThat(lettuce.getDatabase()).isEqualTo(3);
				assertThat(lettuce.getStandaloneConfiguration().getPassword().get()).isEqualTo(SECRET.toCharArray());
				// Settings outside the endpoint still come from redis.discovery.*.
				assertThat(lettuce.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
				RedisDiscoveryProperties bound = context.getBean(RedisDiscoveryProperties.class);
				assertThat(bound.getMode()).isNull();
				assertThat(bound.getStandalone().getHost()).isEqualTo("localhost");
				assertThat(bound.getPassword()).isNull();
			});
		assertThat(output).containsOnlyOnce("Redis discovery uses standalone mode, redis.internal:6380, database 3, "
				+ "with a password from connection details " + TestConnectionDetails.class.getName())
			.doesNotContain(SECRET);
	}

	@Test
	void runWhenDiscoveryEndpointAndConnectionDetailsShouldUseDiscoveryProperties(CapturedOutput output) {
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.standalone("from-details", 6380, 0, null))
			.withPropertyValues("redis.discovery.standalone.host=from-discovery")
			.run((context) -> assertThat(factory(context).getHostName()).isEqualTo("from-discovery"));
		assertThat(output).contains("Redis discovery ignores connection details " + TestConnectionDetails.class.getName());
	}

	@Test
	void runWhenOnlySpringDataRedisShouldMapItAndWarnWithReplacementsButNoSecret(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=redis://app:" + SECRET + "@redis.internal:6390/5",
					"spring.data.redis.timeout=750ms", "spring.data.redis.connect-timeout=300ms",
					"spring.data.redis.client-name=orders")
			.run((context) -> {
				LettuceConnectionFactory lettuce = factory(context);
				assertThat(lettuce.getHostName()).isEqualTo("redis.internal");
				assertThat(lettuce.getPort()).isEqualTo(6390);
				assertThat(lettuce.getDatabase()).isEqualTo(5);
				assertThat(lettuce.getStandaloneConfiguration().getUsername()).isEqualTo("app");
				assertThat(lettuce.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(lettuce.getClientConfiguration().getClientName()).hasValue("orders");
				assertThat(lettuce.getClientConfiguration().getClientOptions()).hasValueSatisfying((options) -> assertThat(
						options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(300)));
			});
		assertThat(output).containsOnlyOnce("Redis discovery uses standalone mode, redis.internal:6390, database 5, "
				+ "with a password from spring.data.redis.*, which it supports only for migration")
			.contains("spring.data.redis.url -> redis.discovery.standalone.host")
			.contains("spring.data.redis.timeout -> redis.discovery.timeout.command")
			.contains("spring.data.redis.client-name -> redis.discovery.client-name")
			.doesNotContain(SECRET);
	}

	@Test
	void runWhenSpringDataRedisAndDiscoverySettingShouldPreferDiscoverySetting() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=redis.internal", "spring.data.redis.timeout=750ms",
					"redis.discovery.timeout.command=3s")
			.run((context) -> {
				assertThat(factory(context).getHostName()).isEqualTo("redis.internal");
				assertThat(factory(context).getClientConfiguration().getCommandTimeout())
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void runWhenSpringDataRedisClusterShouldMapToClusterMode() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=r1:7000,r2:7001",
					"spring.data.redis.cluster.max-redirects=2")
			.run((context) -> {
				DiscoverySettings settings = context.getBean(DiscoverySettings.class);
				assertThat(settings.mode()).isEqualTo(DiscoveryMode.CLUSTER);
				assertThat(settings.properties().getCluster().getNodes()).containsExactly("r1:7000", "r2:7001");
				assertThat(settings.properties().getCluster().getMaxRedirects()).isEqualTo(2);
			});
	}

	@Test
	void runWhenSpringDataRedisTurnsAdaptiveRefreshOffShouldCarryItOver() {
		// Spring Boot 4.1 no longer binds this property (Lettuce 7 turns every adaptive trigger on by default); the
		// starter reads it on its own on both lines.
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=r1:7000",
					"spring.data.redis.lettuce.cluster.refresh.adaptive=false")
			.run((context) -> assertThat(
					context.getBean(DiscoverySettings.class).properties().getCluster().getRefresh().isAdaptive())
				.isFalse());
	}

	@Test
	void runWhenDiscoveryEndpointAndSpringDataRedisShouldIgnoreSpringDataRedis(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("redis.discovery.standalone.host=from-discovery", "spring.data.redis.host=from-boot")
			.run((context) -> assertThat(factory(context).getHostName()).isEqualTo("from-discovery"));
		assertThat(output).contains("Redis discovery ignores spring.data.redis.*");
	}

	@Test
	void runWhenLettucePoolIsSetShouldMapItToThePoolProperties(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=redis.internal", "spring.data.redis.lettuce.pool.max-active=16",
					"spring.data.redis.lettuce.pool.max-wait=250ms", "redis.discovery.pool.max-idle=3")
			.run((context) -> {
				PoolSettings pool = factory(context).getPoolSettings();
				assertThat(pool).isNotNull();
				assertThat(pool.maxActive()).isEqualTo(16);
				assertThat(pool.maxWait()).isEqualTo(Duration.ofMillis(250));
				assertThat(pool.maxIdle()).as("redis.discovery.* wins").isEqualTo(3);
			});
		assertThat(output).contains("spring.data.redis.lettuce.pool -> redis.discovery.pool.*");
	}

	@Test
	void runWhenClientTypeIsJedisShouldFailNamingIt() {
		this.contextRunner.withPropertyValues("spring.data.redis.client-type=jedis")
			.run((context) -> assertThat(invalidPropertyAnalysis(context).getAction())
				.startsWith("Review the value of the property 'spring.data.redis.client-type'"));
	}

	@Test
	void runWhenMasterReplicaIsSetShouldFailPointingToSentinel() {
		this.contextRunner.withPropertyValues("spring.data.redis.masterreplica.nodes=r1:6379,r2:6379")
			.run((context) -> assertThat(invalidPropertyAnalysis(context).getAction())
				.startsWith("Review the value of the property 'spring.data.redis.masterreplica.nodes'")
				.contains("redis.discovery.sentinel.master"));
	}

	@Test
	void runWhenSpringDataRedisWithoutBootAutoConfigurationShouldFailInsteadOfUsingLocalhost() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=redis.internal")
			.run((context) -> assertThat(invalidPropertyAnalysis(context).getDescription()).contains("'spring.data.redis'")
				.contains("DataRedisAutoConfiguration"));
	}

	@Test
	void runWhenMappedValueIsInvalidShouldSayWhereItCameFrom() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=70000")
			.run((context) -> assertThat(invalidPropertyAnalysis(context).getDescription())
				.contains("'redis.discovery.standalone.port'")
				.contains("(the value comes from spring.data.redis.*)"));
	}

}
