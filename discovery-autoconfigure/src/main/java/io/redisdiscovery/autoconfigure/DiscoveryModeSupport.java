package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

/**
 * What one {@link DiscoveryMode} contributes to the wiring: the checks of its properties section, its topology
 * source, its connection factory and its part of the Lettuce client settings. The mode is mapped to its support
 * once, in {@link #of(DiscoveryMode)}, so that the validation and the Lettuce configuration do not switch over the
 * mode themselves.
 */
sealed interface DiscoveryModeSupport
		permits FixedEndpointModeSupport, DnsModeSupport, SentinelConnectionSupport, ClusterConnectionSupport {

	/**
	 * The support of a mode: the only place that tells the modes apart.
	 * @param mode the resolved mode
	 * @return its support
	 */
	static DiscoveryModeSupport of(DiscoveryMode mode) {
		return switch (mode) {
			case STANDALONE -> new FixedEndpointModeSupport(mode, RedisDiscoveryProperties::getStandalone);
			case DNS -> new DnsModeSupport();
			case SENTINEL -> new SentinelConnectionSupport();
			case CLUSTER -> new ClusterConnectionSupport();
			case LOAD_BALANCER -> new FixedEndpointModeSupport(mode, RedisDiscoveryProperties::getLoadBalancer);
		};
	}

	/**
	 * The mode this supports.
	 * @return the mode
	 */
	DiscoveryMode mode();

	/**
	 * Checks the mode's own section of the properties.
	 * @param properties the effective properties
	 * @throws InvalidDiscoveryPropertyException naming the first property that is wrong
	 */
	void validate(RedisDiscoveryProperties properties);

	/**
	 * The options builder the shared client options start from.
	 * @param properties the effective properties
	 * @return a new builder
	 */
	default ClientOptions.Builder clientOptionsBuilder(RedisDiscoveryProperties properties) {
		return ClientOptions.builder();
	}

	/**
	 * Adds the mode's settings to the client configuration, before the application's customizers.
	 * @param builder the builder of the client configuration
	 * @param properties the effective properties
	 */
	default void configure(LettuceClientConfiguration.LettuceClientConfigurationBuilder builder,
			RedisDiscoveryProperties properties) {
	}

	/**
	 * Builds and starts the mode's topology source.
	 * @param properties the effective properties
	 * @param resources the shared client resources
	 * @param options the client options of the data connections
	 * @param probe a role probe, given the name to verify TLS certificates against ({@code null} for the host dialed)
	 * @param clock the clock of the topology snapshots
	 * @return the started source
	 */
	TopologySource topologySource(RedisDiscoveryProperties properties, ClientResources resources,
			ClientOptions options, Function<@Nullable String, NodeProbe> probe, Clock clock);

	/**
	 * Builds the mode's connection factory.
	 * @param properties the effective properties
	 * @param clientConfiguration the client configuration, with the topology's address resolver installed
	 * @param topology the topology source bean, the application's own or ours
	 * @return the factory, not yet initialized
	 */
	RetryingLettuceConnectionFactory connectionFactory(RedisDiscoveryProperties properties,
			LettuceClientConfiguration clientConfiguration, TopologySource topology);

}
