package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.NodeClient;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Asks one cluster node for {@code CLUSTER NODES} and {@code CLUSTER INFO} over a short-lived connection (a
 * {@link NodeClient}) bounded by its own timeout, independent of the application's connections and retry budget.
 *
 * @since 0.1.0
 */
public final class ClusterNodeQuery implements AutoCloseable {

	private final NodeClient client;

	private final Credentials credentials;

	private final Duration timeout;

	/**
	 * Creates a query.
	 * @param resources the shared client resources (not shut down by the query)
	 * @param addressResolver maps announced addresses to reachable ones, or {@code null} to dial them as announced
	 * @param options the application's client options, of which the socket, TLS and timeout options are kept;
	 * reconnect is turned off and the connect timeout bounded
	 * @param credentials how to authenticate
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 */
	public ClusterNodeQuery(ClientResources resources, @Nullable SocketAddressResolver addressResolver,
			ClientOptions options, Credentials credentials, Duration timeout, boolean ssl) {
		// Plain client options: the cluster options (slot map refresh, node filter) mean nothing to one connection.
		ClientOptions nodeOptions = ClientOptions.builder()
			.socketOptions(options.getSocketOptions())
			.sslOptions(options.getSslOptions())
			.timeoutOptions(options.getTimeoutOptions())
			.build();
		this.client = new NodeClient(resources, nodeOptions, timeout, ssl, addressResolver);
		this.credentials = credentials;
		this.timeout = timeout;
	}

	/**
	 * The bound on connecting and on each command.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Asks a node for its view of the cluster.
	 * @param node the announced address of the node (the address resolver maps it)
	 * @return the node's view
	 * @throws RuntimeException when the node cannot be asked
	 */
	public ClusterView ask(RedisNode node) {
		return this.client.call(node, this.credentials, (commands) -> new ClusterView(node,
				ClusterPartitionParser.parse(commands.clusterNodes()), parseInfo(commands.clusterInfo())));
	}

	/**
	 * Opens a connection to a node, for a watch that asks it again and again; the caller closes it.
	 * @param node the announced address of the node (the address resolver maps it)
	 * @return the connection, which does not reconnect
	 * @throws RuntimeException when the node cannot be reached
	 */
	public StatefulRedisConnection<String, String> connect(RedisNode node) {
		return this.client.connect(node, this.credentials);
	}

	/**
	 * Whether a node answers a write that changes nothing ({@code DEL} of a key that does not exist) over a new
	 * connection within {@code wait}; the connection is closed however it ends. An error reply counts as no answer.
	 * @param node the announced address of the node (the address resolver maps it)
	 * @param key the key to delete, one that never exists
	 * @param wait how long to wait for the connection and the answer together
	 * @return whether it answered in time; never completed exceptionally
	 */
	public CompletableFuture<Boolean> answersWrite(RedisNode node, String key, Duration wait) {
		return answers(node, (commands) -> commands.del(key), wait);
	}

	/**
	 * Whether a node answers {@code PING} over a new connection within {@code wait}, as {@link #answersWrite} does.
	 * @param node the announced address of the node (the address resolver maps it)
	 * @param wait how long to wait for the connection and the answer together
	 * @return whether it answered in time; never completed exceptionally
	 */
	public CompletableFuture<Boolean> answersPing(RedisNode node, Duration wait) {
		return answers(node, RedisAsyncCommands::ping, wait);
	}

	private CompletableFuture<Boolean> answers(RedisNode node,
			Function<RedisAsyncCommands<String, String>, RedisFuture<?>> command, Duration wait) {
		CompletableFuture<StatefulRedisConnection<String, String>> connecting = this.client.connectAsync(node,
				this.credentials);
		CompletableFuture<Boolean> answered = connecting
			.thenCompose((connection) -> command.apply(connection.async()).toCompletableFuture())
			.handle((reply, failure) -> failure == null)
			.completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS);
		// Also when the wait ended first: the connection, set up later, is closed then.
		answered.whenComplete((result, failure) -> connecting.thenAccept(StatefulConnection::closeAsync));
		return answered;
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
		this.client.close();
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
