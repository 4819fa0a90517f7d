package io.redisdiscovery.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

/**
 * Asks one node for its role over a short-lived connection bounded by its own timeout, independent of the
 * application's connections and retry budget.
 *
 * @since 0.1.0
 */
public final class NodeProbe implements AutoCloseable {

	private final RedisClient client;

	private final Credentials credentials;

	private final Duration timeout;

	private final boolean ssl;

	/**
	 * Creates a probe.
	 * @param resources the shared client resources (not shut down by the probe)
	 * @param options the application's client options; reconnect is turned off and the connect timeout bounded
	 * @param credentials how to authenticate
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 */
	public NodeProbe(ClientResources resources, ClientOptions options, Credentials credentials, Duration timeout,
			boolean ssl) {
		this.client = RedisClient.create(resources);
		this.client.setOptions(options.mutate()
			.autoReconnect(false)
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(timeout).build())
			.build());
		this.credentials = credentials;
		this.timeout = timeout;
		this.ssl = ssl;
	}

	/**
	 * Probes a node.
	 * @param node the node
	 * @param inUse whether application traffic goes to it
	 * @return what was found; an unreachable node carries the error in its details, never a secret
	 */
	public TopologyEndpoint probe(RedisNode node, boolean inUse) {
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(node.host())
			.withPort(node.port())
			.withTimeout(this.timeout)
			.withSsl(this.ssl);
		this.credentials.applyTo(uri);
		try (StatefulRedisConnection<String, String> connection = this.client.connect(uri.build())) {
			List<Object> role = connection.sync().role();
			return TopologyEndpoint.of(node, NodeRole.fromRoleReply(String.valueOf(role.get(0))), true, inUse);
		}
		catch (RuntimeException ex) {
			return new TopologyEndpoint(node, NodeRole.UNKNOWN, false, inUse, Map.of("error", describe(ex)));
		}
	}

	private static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public void close() {
		this.client.shutdown(Duration.ZERO, this.timeout);
	}

	/**
	 * User name and password of a node; {@link #toString()} never shows the password.
	 *
	 * @param username the ACL user, or {@code null} for the default user
	 * @param password the password, or {@code null} for none
	 */
	public record Credentials(@Nullable String username, @Nullable String password) {

		/** No authentication. */
		public static final Credentials NONE = new Credentials(null, null);

		void applyTo(RedisURI.Builder uri) {
			if (this.password == null) {
				return;
			}
			if (this.username != null) {
				uri.withAuthentication(this.username, this.password);
			}
			else {
				uri.withPassword(this.password.toCharArray());
			}
		}

		@Override
		public String toString() {
			return "Credentials[username=" + this.username + ", password=" + ((this.password != null) ? "******" : "none")
					+ "]";
		}

	}

}
