package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.LettuceCompatibility;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Asks one cluster node for {@code CLUSTER NODES} and {@code CLUSTER INFO} over a short-lived connection bounded by
 * its own timeout, independent of the application's connections and retry budget.
 *
 * @since 0.1.0
 */
public final class ClusterNodeQuery implements AutoCloseable {

	private final RedisClient client;

	private final Credentials credentials;

	private final Duration timeout;

	private final boolean ssl;

	private final @Nullable ClientResources ownedResources;

	/**
	 * Creates a query.
	 * @param resources the client resources, with the address mapping if any
	 * @param ownsResources whether {@link #close()} shuts the resources down (they were made for this query)
	 * @param options the application's client options; reconnect is turned off and the connect timeout bounded
	 * @param credentials how to authenticate
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 */
	public ClusterNodeQuery(ClientResources resources, boolean ownsResources, ClientOptions options,
			Credentials credentials, Duration timeout, boolean ssl) {
		this.client = RedisClient.create(resources);
		this.client.setOptions(LettuceCompatibility.disableMaintNotifications(ClientOptions.builder())
			.autoReconnect(false)
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(timeout).build())
			.sslOptions(options.getSslOptions())
			.timeoutOptions(options.getTimeoutOptions())
			.build());
		this.credentials = credentials;
		this.timeout = timeout;
		this.ssl = ssl;
		this.ownedResources = ownsResources ? resources : null;
	}

	/**
	 * Asks a node for its view of the cluster.
	 * @param node the announced address of the node (the resources map it)
	 * @return the node's view
	 * @throws RuntimeException when the node cannot be asked
	 */
	public ClusterView ask(RedisNode node) {
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(node.host())
			.withPort(node.port())
			.withTimeout(this.timeout)
			.withSsl(this.ssl);
		this.credentials.applyTo(uri);
		try (StatefulRedisConnection<String, String> connection = this.client.connect(uri.build())) {
			RedisCommands<String, String> commands = connection.sync();
			Partitions nodes = ClusterPartitionParser.parse(commands.clusterNodes());
			return new ClusterView(node, nodes, parseInfo(commands.clusterInfo()));
		}
	}

	private static Map<String, String> parseInfo(String info) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	@Override
	public void close() {
		this.client.shutdown(Duration.ZERO, this.timeout);
		if (this.ownedResources != null) {
			this.ownedResources.shutdown(0, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * One node's answer.
	 *
	 * @param viewer the node that answered
	 * @param nodes its {@code CLUSTER NODES}
	 * @param info its {@code CLUSTER INFO} fields
	 */
	public record ClusterView(RedisNode viewer, Partitions nodes, Map<String, String> info) {

	}

}
