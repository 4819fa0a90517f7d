package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.topology.DiscoveryMode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.redisdiscovery.autoconfigure.StartedContexts.factory;
import static io.redisdiscovery.autoconfigure.StartedContexts.invalidPropertyAnalysis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for inferring {@code redis.discovery.mode} and for the startup checks of endpoint addresses.
 */
class DiscoveryModeInferenceTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void runWhenNoModeAndNoSectionShouldUseStandalone() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DiscoverySettings.class).mode()).isEqualTo(DiscoveryMode.STANDALONE);
			assertThat(context.getBean(RedisDiscoveryProperties.class).getMode()).isNull();
			assertThat(factory(context).getStandaloneConfiguration().getHostName()).isEqualTo("localhost");
		});
	}

	@Test
	void runWhenNoModeAndOnlyLoadBalancerSectionShouldInferLoadBalancer() {
		this.contextRunner.withPropertyValues("redis.discovery.load-balancer.host=lb.internal").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DiscoverySettings.class).mode()).isEqualTo(DiscoveryMode.LOAD_BALANCER);
			assertThat(context.getBean(RedisDiscoveryProperties.class).getMode()).isNull();
			assertThat(factory(context).getStandaloneConfiguration().getHostName()).isEqualTo("lb.internal");
		});
	}

	@Test
	void runWhenNoModeAndSeveralSectionsShouldFailNamingModeAndSections() {
		this.contextRunner
			.withPropertyValues("redis.discovery.sentinel.master=mymaster",
					"redis.discovery.sentinel.nodes=127.0.0.1:26379", "redis.discovery.cluster.nodes=127.0.0.1:7000")
			.run((context) -> {
				FailureAnalysis analysis = invalidPropertyAnalysis(context);
				assertThat(analysis.getDescription()).contains("'redis.discovery.mode'")
					.contains("'redis.discovery.sentinel'")
					.contains("'redis.discovery.cluster'");
				assertThat(analysis.getAction()).startsWith("Review the value of the property 'redis.discovery.mode'")
					.contains("set redis.discovery.mode to sentinel or cluster");
			});
	}

	@Test
	void runWhenModeIsSetShouldIgnoreSectionsOfOtherModes() {
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=lb.internal",
					"redis.discovery.cluster.nodes=127.0.0.1:7000")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(factory(context).getStandaloneConfiguration().getHostName()).isEqualTo("lb.internal");
			});
	}

	@Test
	void runWhenStandaloneHostCarriesAPortShouldFailNamingHost() {
		assertInvalidHost("redis.internal:6379");
	}

	@Test
	void runWhenStandaloneHostIsBracketedIpv6ShouldFailNamingHost() {
		assertInvalidHost("[::1]");
	}

	@Test
	void runWhenStandaloneHostIsBareIpv6ShouldStart() {
		this.contextRunner.withPropertyValues("redis.discovery.standalone.host=::1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWhenHealthTimeoutIsNegativeShouldFailNamingIt() {
		this.contextRunner.withPropertyValues("redis.discovery.health.timeout=-1s")
			.run((context) -> assertThat(invalidPropertyAnalysis(context).getAction())
				.startsWith("Review the value of the property 'redis.discovery.health.timeout'"));
	}

	private void assertInvalidHost(String host) {
		this.contextRunner.withPropertyValues("redis.discovery.standalone.host=" + host).run((context) -> {
			FailureAnalysis analysis = invalidPropertyAnalysis(context);
			assertThat(analysis.getDescription()).contains("'" + host + "' is not a host name or IP address");
			assertThat(analysis.getAction())
				.startsWith("Review the value of the property 'redis.discovery.standalone.host'")
				.contains("redis.discovery.standalone.port");
		});
	}

}
