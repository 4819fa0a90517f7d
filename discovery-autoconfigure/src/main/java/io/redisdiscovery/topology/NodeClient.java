package io.redisdiscovery.topology;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.SocketAddressResolver;
import org.jspecify.annotations.Nullable;

/**
 * Runs commands on one node over a short-lived connection, opened with the given credentials, TLS and timeouts and
 * closed after the call: what role probes, Sentinel queries and cluster queries share. It never reconnects and is
 * independent of the application's connections and retry budget.
 *
 * @since 0.1.0
 */
public final class NodeClient implements AutoCloseable {

	private final RedisClient client;

	private final @Nullable ClientResources ownResources;

	private final Duration timeout;

	private final boolean ssl;

	/**
	 * Creates a client.
	 * @param resources the shared client resources (not shut down here)
	 * @param options the options to start from; reconnect and maintenance notifications (Lettuce 7) are turned
	 * off and the connect timeout bounded by {@code timeout}
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 * @param resolver the address resolver of these connections, or {@code null} for the shared resources' own;
	 * given one, the client makes resources of its own (see {@link ResolvingClientResources}) and shuts them down
	 * on {@link #close()}
	 */
	public NodeClient(ClientResources resources, ClientOptions options, Duration timeout, boolean ssl,
			@Nullable SocketAddressResolver resolver) {
		this.ownResources = (resolver != null) ? ResolvingClientResources.create(resources, resolver) : null;
		this.client = RedisClient.create((this.ownResources != null) ? this.ownResources : resources);
		// A short-lived connection needs no maintenance notifications, whatever the application chose; Sentinels
		// answer the command that enables them with an error.
		this.client.setOptions(LettuceCompatibility.disableMaintNotifications(options.mutate())
			.autoReconnect(false)
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(timeout).build())
			.build());
		this.timeout = timeout;
		this.ssl = ssl;
	}

	/**
	 * Connects to a node, runs the commands and closes the connection.
	 * @param <T> the type of the answer
	 * @param node the node
	 * @param credentials how to authenticate
	 * @param commands what to ask, on the synchronous API of the connection
	 * @return the answer
	 * @throws RuntimeException when the node cannot be reached or a command fails
	 */
	public <T> T call(RedisNode node, Credentials credentials, Function<RedisCommands<String, String>, T> commands) {
		try (StatefulRedisConnection<String, String> connection = this.client.connect(uri(node, credentials))) {
			return commands.apply(connection.sync());
		}
	}

	/**
	 * Opens a connection to a node, for a caller that asks the same node again and again; the caller closes it.
	 * @param node the node
	 * @param credentials how to authenticate
	 * @return the connection, which does not reconnect
	 * @throws RuntimeException when the node cannot be reached
	 */
	public StatefulRedisConnection<String, String> connect(RedisNode node, Credentials credentials) {
		return this.client.connect(uri(node, credentials));
	}

	/**
	 * Opens a connection to a node without waiting for it; the caller closes it.
	 * @param node the node
	 * @param credentials how to authenticate
	 * @return the connection once set up, which does not reconnect
	 */
	public CompletableFuture<StatefulRedisConnection<String, String>> connectAsync(RedisNode node,
			Credentials credentials) {
		return this.client.connectAsync(StringCodec.UTF8, uri(node, credentials)).toCompletableFuture();
	}

	/**
	 * The URI of a node with these timeouts and TLS setting and the given credentials, for connections this client
	 * does not open itself (a Sentinel subscription).
	 * @param node the node
	 * @param credentials how to authenticate
	 * @return the URI
	 */
	public RedisURI uri(RedisNode node, Credentials credentials) {
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(node.host())
			.withPort(node.port())
			.withTimeout(this.timeout)
			.withSsl(this.ssl);
		credentials.applyTo(uri);
		return uri.build();
	}

	@Override
	public void close() {
		this.client.shutdown(Duration.ZERO, this.timeout);
		if (this.ownResources != null) {
			this.ownResources.shutdown(0, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
