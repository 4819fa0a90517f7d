package io.redisdiscovery.cluster;

import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.LettuceCompatibility;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link LettuceConnectionFactory} for a Redis Cluster whose client is a {@link BoundedRefreshClusterClient}
 * followed by a {@link ClusterTopologySource}.
 *
 * @since 0.1.0
 */
public class ClusterLettuceConnectionFactory extends RetryingLettuceConnectionFactory {

	private final RedisClusterConfiguration clusterConfiguration;

	private final int maxRefreshSources;

	private final ClusterTopologySource topology;

	/**
	 * Creates a factory.
	 * @param clusterConfiguration the seed nodes, credentials and redirect limit
	 * @param clientConfiguration the client configuration; its client options should be {@link ClusterClientOptions}
	 * and its client resources must be set
	 * @param maxRefreshSources most nodes asked for the slot map at each refresh
	 * @param topology the source that follows the client
	 */
	public ClusterLettuceConnectionFactory(RedisClusterConfiguration clusterConfiguration,
			LettuceClientConfiguration clientConfiguration, int maxRefreshSources, ClusterTopologySource topology) {
		super(clusterConfiguration, clientConfiguration);
		this.clusterConfiguration = clusterConfiguration;
		this.maxRefreshSources = maxRefreshSources;
		this.topology = topology;
	}

	@Override
	protected AbstractRedisClient createClient() {
		LettuceClientConfiguration configuration = getClientConfiguration();
		ClientResources resources = configuration.getClientResources().orElse(null);
		Assert.state(resources != null, "'clientResources' must not be null");
		List<RedisURI> seeds = this.clusterConfiguration.getClusterNodes()
			.stream()
			.map((node) -> seedUri(node.getRequiredHost(), node.getRequiredPort(), configuration))
			.toList();
		BoundedRefreshClusterClient client = new BoundedRefreshClusterClient(resources, seeds,
				this.maxRefreshSources);
		client.setOptions(clusterClientOptions(configuration));
		this.topology.attach(client);
		return client;
	}

	/** The seed URI as Spring Data Redis builds it for its own cluster client. */
	private RedisURI seedUri(String host, int port, LettuceClientConfiguration configuration) {
		RedisURI.Builder builder = RedisURI.Builder.redis(host, port);
		String username = this.clusterConfiguration.getUsername();
		char[] password = this.clusterConfiguration.getPassword().toOptional().orElse(null);
		if (StringUtils.hasText(username)) {
			builder.withAuthentication(username, (password != null) ? new String(password) : "");
		}
		else if (password != null) {
			builder.withPassword(password);
		}
		configuration.getRedisCredentialsProviderFactory()
			.ifPresent((factory) -> builder
				.withAuthentication(factory.createCredentialsProvider(this.clusterConfiguration)));
		configuration.getClientName().ifPresent(builder::withClientName);
		builder.withSsl(configuration.isUseSsl());
		builder.withVerifyPeer(configuration.getVerifyMode());
		builder.withStartTls(configuration.isStartTls());
		builder.withTimeout(configuration.getCommandTimeout());
		return builder.build();
	}

	/**
	 * The options of the cluster client. Lettuce 7's {@code ClusterClientOptions.mutate()} and
	 * {@code builder(ClientOptions)} drop the maintenance notifications setting (back to on), so it is carried over.
	 */
	ClusterClientOptions clusterClientOptions(LettuceClientConfiguration configuration) {
		ClientOptions options = configuration.getClientOptions().orElseGet(ClientOptions::create);
		ClusterClientOptions clusterOptions = (options instanceof ClusterClientOptions cluster) ? cluster
				: LettuceCompatibility.copyMaintNotifications(options, ClusterClientOptions.builder(options)).build();
		Integer maxRedirects = this.clusterConfiguration.getMaxRedirects();
		return (maxRedirects != null) ? LettuceCompatibility
			.copyMaintNotifications(options, clusterOptions.mutate().maxRedirects(maxRedirects))
			.build() : clusterOptions;
	}

}
