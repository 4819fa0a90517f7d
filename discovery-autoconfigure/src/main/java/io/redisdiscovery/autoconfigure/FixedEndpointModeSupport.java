package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.FixedEndpointTopologySource;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

/**
 * Standalone and load-balancer mode: one configured host and port, which Lettuce dials at every (re)connect.
 *
 * @param mode the mode, whose properties group is also the section of {@code endpoint}
 * @param endpoint the mode's endpoint section of the properties
 */
record FixedEndpointModeSupport(DiscoveryMode mode,
		Function<RedisDiscoveryProperties, RedisDiscoveryProperties.Endpoint> endpoint)
		implements DiscoveryModeSupport {

	@Override
	public void validate(RedisDiscoveryProperties properties) {
		RedisDiscoveryPropertiesValidator.endpoint(this.mode.propertyValue(), this.endpoint.apply(properties));
	}

	@Override
	public TopologySource topologySource(RedisDiscoveryProperties properties, ClientResources resources,
			ClientOptions options, Function<@Nullable String, NodeProbe> probe, Clock clock) {
		RedisDiscoveryProperties.Endpoint endpoint = this.endpoint.apply(properties);
		return new FixedEndpointTopologySource(this.mode, new RedisNode(endpoint.getHost(), endpoint.getPort()),
				probe.apply(null), clock);
	}

	@Override
	public RetryingLettuceConnectionFactory connectionFactory(RedisDiscoveryProperties properties,
			LettuceClientConfiguration clientConfiguration, TopologySource topology) {
		RedisDiscoveryProperties.Endpoint endpoint = this.endpoint.apply(properties);
		RetryingLettuceConnectionFactory factory = new RetryingLettuceConnectionFactory(
				DataNodeConfigurations.standalone(endpoint.getHost(), endpoint.getPort(), properties),
				clientConfiguration);
		// A balancer's dials land on different backends, and racing them gets past a frozen one.
		factory.setDialsReachOneServer(this.mode == DiscoveryMode.STANDALONE);
		return factory;
	}

}
