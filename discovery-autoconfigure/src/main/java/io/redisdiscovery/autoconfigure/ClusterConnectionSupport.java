package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.cluster.ClusterAddressMap;
import io.redisdiscovery.cluster.ClusterClientOptionsFactory;
import io.redisdiscovery.cluster.ClusterLettuceConnectionFactory;
import io.redisdiscovery.cluster.ClusterNodeQuery;
import io.redisdiscovery.cluster.ClusterTopologySource;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

/**
 * Cluster mode: turns {@code redis.discovery.cluster.*} into the cluster client options, the read setting, the
 * topology source and the connection factory.
 */
final class ClusterConnectionSupport implements DiscoveryModeSupport {

	/**
	 * The source this support built, when the application defines none: only that source follows the client, so
	 * only the factory of that source gets the bounded-refresh client it attaches to.
	 */
	private volatile @Nullable ClusterTopologySource ownSource;

	@Override
	public DiscoveryMode mode() {
		return DiscoveryMode.CLUSTER;
	}

	@Override
	public void validate(RedisDiscoveryProperties properties) {
		ClusterPropertiesValidator.validate(properties);
	}

	/**
	 * Cluster client options, carrying the slot map refresh and redirect limit of {@code redis.discovery.cluster.*}.
	 */
	@Override
	public ClientOptions.Builder clientOptionsBuilder(RedisDiscoveryProperties properties) {
		ClusterProperties cluster = properties.getCluster();
		return ClusterClientOptionsFactory.builder(refreshSettings(cluster), cluster.getMaxRedirects());
	}

	@Override
	public void configure(LettuceClientConfiguration.LettuceClientConfigurationBuilder builder,
			RedisDiscoveryProperties properties) {
		builder.readFrom(ReadFrom.valueOf(properties.getCluster().getReadFrom().trim()));
	}

	/**
	 * The cluster source asks nodes with its own query (CLUSTER NODES and INFO) instead of a role probe.
	 */
	@Override
	public ClusterTopologySource topologySource(RedisDiscoveryProperties properties, ClientResources resources,
			ClientOptions options, Function<@Nullable String, NodeProbe> probe, Clock clock) {
		ClusterProperties cluster = properties.getCluster();
		ClusterAddressMap addressMap = addressMap(cluster);
		ClusterNodeQuery query = new ClusterNodeQuery(resources, addressMap.resolver(), options,
				DataNodeConfigurations.credentials(properties),
				properties.getTimeout().getCommand(), properties.getSsl().isEnabled());
		ClusterTopologySource source = new ClusterTopologySource(seeds(cluster), query, addressMap,
				cluster.getRefresh().isAdaptive(), cluster.getRefresh().getMinInterval(),
				properties.getTimeout().getConnect().plus(properties.getTimeout().getCommand()), clock);
		this.ownSource = source;
		return source;
	}

	/**
	 * The factory of the starter's own source is followed by that source (known by identity, as this support built
	 * it); with the application's own source, Lettuce's cluster client.
	 */
	@Override
	public RetryingLettuceConnectionFactory connectionFactory(RedisDiscoveryProperties properties,
			LettuceClientConfiguration clientConfiguration, TopologySource topology) {
		ClusterProperties cluster = properties.getCluster();
		RedisClusterConfiguration configuration = new RedisClusterConfiguration();
		seeds(cluster).forEach((seed) -> configuration.clusterNode(seed.host(), seed.port()));
		configuration.setMaxRedirects(cluster.getMaxRedirects());
		DataNodeConfigurations.authenticated(configuration, properties);
		ClusterTopologySource ownSource = this.ownSource;
		if (ownSource != null && ownSource == topology) {
			return new ClusterLettuceConnectionFactory(configuration, clientConfiguration,
					cluster.getRefresh().getMaxSources(), ownSource);
		}
		// The application's own topology source: Lettuce's own cluster client, still with the refresh options.
		return new RetryingLettuceConnectionFactory(configuration, clientConfiguration);
	}

	static List<RedisNode> seeds(ClusterProperties cluster) {
		return cluster.getNodes().stream().map(RedisNode::parse).toList();
	}

	static ClusterAddressMap addressMap(ClusterProperties cluster) {
		Map<RedisNode, RedisNode> map = new LinkedHashMap<>();
		cluster.getAddressMap().forEach((announced, reachable) -> map.put(RedisNode.parse(announced),
				RedisNode.parse(reachable)));
		return new ClusterAddressMap(map);
	}

	private static ClusterClientOptionsFactory.RefreshSettings refreshSettings(ClusterProperties cluster) {
		ClusterProperties.Refresh refresh = cluster.getRefresh();
		return new ClusterClientOptionsFactory.RefreshSettings(refresh.getPeriod(), refresh.isAdaptive(),
				refresh.getMinInterval());
	}

}
