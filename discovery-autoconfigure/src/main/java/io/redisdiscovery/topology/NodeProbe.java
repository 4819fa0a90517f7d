package io.redisdiscovery.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;

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
			return new TopologyEndpoint(node, NodeRole.UNKNOWN, false, inUse, Map.of("error", FailureDescriptions.rootCause(ex)));
		}
	}

	@Override
	public void close() {
		this.client.shutdown(Duration.ZERO, this.timeout);
	}

}
