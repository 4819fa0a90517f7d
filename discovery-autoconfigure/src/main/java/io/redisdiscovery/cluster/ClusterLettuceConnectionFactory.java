package io.redisdiscovery.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.LettuceChannels;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.LettuceCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger logger = LoggerFactory.getLogger(ClusterLettuceConnectionFactory.class);

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

	/**
	 * Replaces only the node connections that stopped answering: each master's connection of the shared cluster
	 * connection gets a {@code PING}, and one without a reply within the command timeout is reconnected. The other
	 * nodes' connections, and the commands in flight on them, are left alone. When every master answers, the silent
	 * connection is elsewhere (a replica read), and the whole shared connection is replaced. Returns at once.
	 */
	@Override
	public void replaceStalledConnection() {
		StatefulRedisClusterConnection<byte[], byte[]> shared = isRunning() ? getSharedClusterConnection() : null;
		if (shared == null) {
			super.replaceStalledConnection();
			return;
		}
		List<CompletableFuture<Boolean>> probes = new ArrayList<>();
		for (RedisClusterNode node : shared.getPartitions()) {
			if (node.getRole().isUpstream()) {
				probes.add(reconnectIfSilent(shared, node));
			}
		}
		// The whole reset closes the shared connection and waits for it: never on the Netty I/O thread where the PING
		// replies complete.
		CompletableFuture.allOf(probes.toArray(new CompletableFuture<?>[0])).thenRunAsync(() -> {
			if (probes.stream().noneMatch(CompletableFuture::join)) {
				super.replaceStalledConnection();
			}
		}, this::runInBackground);
	}

	/**
	 * Commands for a master's slots go out on the connection Lettuce keys by the master's host and port (reads too,
	 * unless they go to replicas), so that is the one probed.
	 */
	private CompletableFuture<Boolean> reconnectIfSilent(StatefulRedisClusterConnection<byte[], byte[]> shared,
			RedisClusterNode node) {
		RedisURI uri = node.getUri();
		return shared.getConnectionAsync(uri.getHost(), uri.getPort(), ConnectionIntent.WRITE)
			.thenCompose((connection) -> connection.async().ping().toCompletableFuture().handle((pong, failure) -> {
				if (failure == null) {
					return false;
				}
				logger.warn("The connection to cluster node {} did not answer PING: reconnecting it", node.getUri());
				return LettuceChannels.disconnect(connection);
			}))
			.exceptionally((failure) -> false);
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
