package io.redisdiscovery.topology;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.SocketAddressResolver;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * Asks one node for its role over a short-lived connection (a {@link NodeClient}) bounded by its own timeout,
 * independent of the application's connections and retry budget.
 *
 * @since 0.1.0
 */
public final class NodeProbe implements AutoCloseable {

	private final NodeClient client;

	private final Credentials credentials;

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
		this(resources, options, credentials, timeout, ssl, null);
	}

	/**
	 * Creates a probe that dials nodes by IP but, with TLS, verifies their certificates against {@code serverName}
	 * (the host name the application's connections use, as in DNS mode).
	 * @param resources the shared client resources (not shut down by the probe)
	 * @param options the application's client options; reconnect is turned off and the connect timeout bounded
	 * @param credentials how to authenticate
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 * @param serverName the name certificates are verified against, or {@code null} for the probed node's host
	 */
	public NodeProbe(ClientResources resources, ClientOptions options, Credentials credentials, Duration timeout,
			boolean ssl, @Nullable String serverName) {
		this.client = new NodeClient(resources, options, timeout, ssl,
				(ssl && serverName != null) ? new ServerNameResolver(serverName) : null);
		this.credentials = credentials;
	}

	/**
	 * Probes a node.
	 * @param node the node
	 * @param inUse whether application traffic goes to it
	 * @return what was found; an unreachable node carries the error in its details, never a secret
	 */
	public TopologyEndpoint probe(RedisNode node, boolean inUse) {
		try {
			List<Object> role = this.client.call(node, this.credentials, RedisCommands::role);
			return TopologyEndpoint.of(node, NodeRole.fromRoleReply(String.valueOf(role.get(0))), true, inUse);
		}
		catch (RuntimeException ex) {
			return new TopologyEndpoint(node, NodeRole.UNKNOWN, false, inUse, Map.of("error", FailureDescriptions.rootCause(ex)));
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	/**
	 * Resolves an IP literal to an address that carries the server name, which Lettuce then uses for SNI and
	 * host-name verification; other hosts resolve as usual.
	 */
	private static final class ServerNameResolver extends SocketAddressResolver {

		private final String serverName;

		ServerNameResolver(String serverName) {
			super(LettuceCompatibility.jvmDnsResolver());
			this.serverName = serverName;
		}

		@Override
		public SocketAddress resolve(RedisURI redisURI) {
			byte[] ip = NetUtil.createByteArrayFromIpAddressString(redisURI.getHost());
			if (ip == null) {
				return super.resolve(redisURI);
			}
			try {
				return new InetSocketAddress(InetAddress.getByAddress(this.serverName, ip), redisURI.getPort());
			}
			catch (UnknownHostException ex) {
				return super.resolve(redisURI);
			}
		}

	}

}
