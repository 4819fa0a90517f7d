package io.redisdiscovery.autoconfigure;

import java.util.function.Consumer;

import io.redisdiscovery.actuate.RedisTopologyDescriptor;
import io.redisdiscovery.actuate.RedisTopologyEndpoint;
import io.redisdiscovery.autoconfigure.endpoint.RedisTopologyEndpointAutoConfiguration;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection details beans (as {@code @ServiceConnection} contributes them) and {@code spring.data.redis.*} against
 * real lab servers of each shape: a SET and GET go through, and the topology is the expected mode.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class ConnectionDetailsIntegrationTests {

	private static final String PASSWORD = "d3tails-Pw";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class,
				DataRedisAutoConfiguration.class, RedisTopologyEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=redistopology");

	@Test
	void standaloneConnectionDetailsShouldConnectToTheServer(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.standalone(server.host(), server.port(), 0, PASSWORD))
			.run(expect(DiscoveryMode.STANDALONE, server.port(), (redis) -> assertThat(server.command("GET", "greeting"))
				.isEqualTo("hello")));
	}

	@Test
	void sentinelConnectionDetailsShouldConnectToTheMasterTheSentinelsName(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("details", 1);
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.sentinel(group.masterName(), group.sentinelAddresses(), null, null))
			.run(expect(DiscoveryMode.SENTINEL, group.master().port(),
					(redis) -> assertThat(group.master().command("GET", "greeting")).isEqualTo("hello")));
	}

	@Test
	void clusterConnectionDetailsShouldRouteThroughTheCluster(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.cluster(cluster.seedAddresses().subList(0, 1)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				for (int i = 0; i < 20; i++) {
					redis.opsForValue().set("key-" + i, "value-" + i);
				}
				for (int i = 0; i < 20; i++) {
					String key = "key-" + i;
					assertThat(cluster.masterForSlot(RedisClusterLab.slotFor(key)).command("GET", key))
						.isEqualTo("value-" + i);
				}
				RedisTopology topology = context.getBean(TopologySource.class).refresh("test");
				assertThat(topology.mode()).isEqualTo(DiscoveryMode.CLUSTER);
				assertThat(topology.endpoints()).hasSize(3);
				assertThat(descriptor(context).mode()).isEqualTo("cluster");
			});
	}

	@Test
	void discoveryPropertiesShouldWinOverConnectionDetails(RedisLab lab) {
		RedisServer server = lab.startServer();
		int nothingListens = FreePorts.pick(server.host());
		this.contextRunner
			.withBean(DataRedisConnectionDetails.class,
					() -> TestConnectionDetails.standalone(server.host(), nothingListens, 0, null))
			.withPropertyValues("redis.discovery.standalone.host=" + server.host(),
					"redis.discovery.standalone.port=" + server.port())
			.run(expect(DiscoveryMode.STANDALONE, server.port(), (redis) -> assertThat(server.command("GET", "greeting"))
				.isEqualTo("hello")));
	}

	@Test
	void springDataRedisHostAndPortShouldConnectInStandaloneMode(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port(),
					"spring.data.redis.password=" + PASSWORD)
			.run(expect(DiscoveryMode.STANDALONE, server.port(), (redis) -> assertThat(server.command("GET", "greeting"))
				.isEqualTo("hello")));
	}

	@Test
	void springDataRedisSentinelShouldConnectInSentinelMode(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("migrated", 1);
		this.contextRunner
			.withPropertyValues("spring.data.redis.sentinel.master=" + group.masterName(),
					"spring.data.redis.sentinel.nodes=" + String.join(",", group.sentinelAddresses()))
			.run(expect(DiscoveryMode.SENTINEL, group.master().port(),
					(redis) -> assertThat(group.master().command("GET", "greeting")).isEqualTo("hello")));
	}

	/**
	 * Writes and reads a key through the template, then checks the topology bean and the endpoint name the mode
	 * and the node in use.
	 */
	private static ContextConsumer<AssertableApplicationContext> expect(DiscoveryMode mode, int port,
			Consumer<StringRedisTemplate> serverCheck) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
			serverCheck.accept(redis);
			RedisTopology topology = context.getBean(TopologySource.class).refresh("test");
			assertThat(topology.mode()).isEqualTo(mode);
			assertThat(topology.hasWritableEndpoint()).isTrue();
			assertThat(topology.endpoints()).anySatisfy((endpoint) -> assertThat(endpoint.node().port()).isEqualTo(port));
			assertThat(descriptor(context).mode()).isEqualTo(mode.propertyValue());
		};
	}

	private static RedisTopologyDescriptor descriptor(AssertableApplicationContext context) {
		return context.getBean(RedisTopologyEndpoint.class).topology();
	}

}
