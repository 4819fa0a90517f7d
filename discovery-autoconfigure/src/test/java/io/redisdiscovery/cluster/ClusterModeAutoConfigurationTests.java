package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.autoconfigure.InvalidDiscoveryPropertyException;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.FakeTopologySource;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.LettuceCompatibility;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterModeAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter()
		.withPropertyValues("redis.discovery.mode=cluster",
				"redis.discovery.cluster.nodes=redis-1.internal:7000,redis-2.internal:7001");

	@Test
	void runWhenClusterShouldBuildClusterFactoryFromSeeds() {
		this.contextRunner.withPropertyValues("redis.discovery.cluster.max-redirects=3").run((context) -> {
			LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(lettuce).isInstanceOf(ClusterLettuceConnectionFactory.class);
			RedisClusterConfiguration configuration = lettuce.getClusterConfiguration();
			assertThat(configuration).isNotNull();
			assertThat(configuration.getClusterNodes()).extracting(Object::toString)
				.containsExactly("redis-1.internal:7000", "redis-2.internal:7001");
			assertThat(configuration.getMaxRedirects()).isEqualTo(3);
			assertThat(context.getBean(TopologySource.class)).isInstanceOf(ClusterTopologySource.class);
		});
	}

	@Test
	void runWhenApplicationDefinesTopologySourceShouldUseLettucesClusterClientWithTheRefreshOptions() {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.CLUSTER, NodeRole.MASTER, 7000, Map.of()));
		this.contextRunner.withBean(TopologySource.class, () -> source).run((context) -> {
			RetryingLettuceConnectionFactory factory = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(factory).isNotInstanceOf(ClusterLettuceConnectionFactory.class);
			assertThat(factory.getClusterConfiguration()).isNotNull();
			assertThat(clusterOptions(factory).getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
			assertThat(context.getBean(TopologySource.class)).isSameAs(source);
		});
	}

	@Test
	void runWhenClusterShouldKeepMaintenanceNotificationsOffOnTheClusterClient() {
		// Lettuce 7's ClusterClientOptions.mutate() drops the setting (back to on); the factory carries it over.
		this.contextRunner.withPropertyValues("redis.discovery.cluster.max-redirects=3").run((context) -> {
			ClusterLettuceConnectionFactory factory = (ClusterLettuceConnectionFactory) 
					context.getBean(RetryingLettuceConnectionFactory.class);
			ClusterClientOptions options = factory.clusterClientOptions(factory.getClientConfiguration());
			assertThat(options.getMaxRedirects()).isEqualTo(3);
			assertThat(LettuceCompatibility.maintNotificationsEnabled(options)).isFalse();
		});
	}

	@Test
	void runWhenClusterWithTlsShouldBoundTheHandshakeByTheConnectTimeout() {
		this.contextRunner
			.withPropertyValues("redis.discovery.ssl.enabled=true", "redis.discovery.timeout.connect=700ms",
					"redis.discovery.timeout.command=20s")
			.run((context) -> {
				ClusterLettuceConnectionFactory factory = context.getBean(ClusterLettuceConnectionFactory.class);
				ClusterClientOptions options = factory.clusterClientOptions(factory.getClientConfiguration());
				assertThat(options.getSslOptions().getHandshakeTimeout()).isEqualTo(Duration.ofMillis(700));
			});
	}

	@Test
	void runWhenClusterShouldRefreshPeriodicallyAndAdaptivelyByDefault() {
		this.contextRunner.run((context) -> {
			ClusterClientOptions options = clusterOptions(context.getBean(RetryingLettuceConnectionFactory.class));
			ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
			assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofMillis(500));
			assertThat(refresh.isCloseStaleConnections()).isTrue();
			assertThat(options.getMaxRedirects()).isEqualTo(5);
			assertThat(options.isAutoReconnect()).isTrue();
			assertThat(options.getDisconnectedBehavior())
				.isEqualTo(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
			assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getClientConfiguration()
				.getReadFrom()).contains(ReadFrom.UPSTREAM);
		});
	}

	@Test
	void runWhenRefreshIsTunedShouldApplyIt() {
		this.contextRunner
			.withPropertyValues("redis.discovery.cluster.refresh.period=0", "redis.discovery.cluster.refresh.adaptive=false",
					"redis.discovery.cluster.read-from=replicaPreferred")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = clusterOptions(
						context.getBean(RetryingLettuceConnectionFactory.class))
					.getTopologyRefreshOptions();
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getClientConfiguration()
					.getReadFrom()).contains(ReadFrom.REPLICA_PREFERRED);
			});
	}

	@Test
	void runWhenAddressMapIsSetShouldResolveThroughIt() {
		this.contextRunner
			.withInitializer(properties("redis.discovery.cluster.address-map.[10.0.0.5:6379]", "localhost:16379"))
			.run((context) -> {
				RedisURI announced = RedisURI.create("redis://10.0.0.5:6379");
				SocketAddressResolver topologyResolver = context.getBean(TopologySource.class).addressResolver();
				assertThat(topologyResolver).isNotNull();
				assertThat(((InetSocketAddress) topologyResolver.resolve(announced)).getPort()).isEqualTo(16379);
				SocketAddressResolver clientResolver = context.getBean(RetryingLettuceConnectionFactory.class)
					.getClientConfiguration()
					.getClientResources()
					.orElseThrow()
					.socketAddressResolver();
				assertThat(((InetSocketAddress) clientResolver.resolve(announced)).getPort()).isEqualTo(16379);
			});
	}

	@Test
	void runWhenNoSeedShouldFailNamingProperty() {
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.nodes'"));
	}

	@Test
	void runWhenSeedIsMalformedShouldFailNamingPropertyAndIndex() {
		this.contextRunner.withPropertyValues("redis.discovery.cluster.nodes=redis-1:7000,redis-2")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.nodes[1]'")
				.hasMessageContaining("not of the form host:port"));
	}

	@Test
	void runWhenAddressMapKeyLostItsColonShouldFailNamingProperty() {
		// Without brackets Spring Boot drops the colon from a map key.
		this.contextRunner.withInitializer(properties("redis.discovery.cluster.address-map.10.0.0.5:6379", "proxy:16379"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.address-map.[10.0.0.56379]'"));
	}

	@Test
	void runWhenReadFromIsUnknownShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.cluster.read-from=closest")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.read-from'"));
	}

	@Test
	void runWhenMinIntervalIsZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.cluster.refresh.min-interval=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.refresh.min-interval'"));
	}

	@Test
	void runWhenMaxSourcesIsZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.cluster.refresh.max-sources=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.cluster.refresh.max-sources'"));
	}

	@Test
	void runWhenDatabaseIsNotZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.database=2")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("'redis.discovery.database'"));
	}

	/** A property whose name holds a colon, which withPropertyValues would take for the separator. */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> properties(String name, String value) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("colon-keys", Map.of(name, value)));
	}

	private static ClusterClientOptions clusterOptions(RetryingLettuceConnectionFactory factory) {
		return (ClusterClientOptions) factory.getClientConfiguration().getClientOptions().orElseThrow();
	}

}
