package io.redisdiscovery.sentinel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the logical addresses the Lettuce factory is configured with (the master, and replica slots for
 * reads) to the nodes the Sentinels name now, at every connect and reconnect; other addresses resolve as usual.
 *
 * @since 0.1.0
 */
public final class SentinelAddressResolver extends SocketAddressResolver {

	private final String logicalDomain;

	private final SocketAddressResolver delegate;

	private final Function<String, @Nullable RedisNode> nodeForLogicalHost;

	/**
	 * Creates a resolver.
	 * @param logicalDomain the domain every logical host of the master group ends with
	 * @param delegate how every other address, and the chosen node's, is resolved
	 * @param nodeForLogicalHost the node to connect to now for a logical host, or {@code null} while none is known
	 */
	SentinelAddressResolver(String logicalDomain, SocketAddressResolver delegate,
			Function<String, @Nullable RedisNode> nodeForLogicalHost) {
		super(DnsResolvers.UNRESOLVED);
		this.logicalDomain = logicalDomain;
		this.delegate = delegate;
		this.nodeForLogicalHost = nodeForLogicalHost;
	}

	@Override
	public SocketAddress resolve(RedisURI redisURI) {
		String host = redisURI.getHost();
		if (host == null || !host.endsWith(this.logicalDomain)) {
			return this.delegate.resolve(redisURI);
		}
		RedisNode node = this.nodeForLogicalHost.apply(host);
		if (node == null) {
			// Fails the connect attempt as "not sent"; the retry and the next discovery take it from there.
			return InetSocketAddress.createUnresolved(host, redisURI.getPort());
		}
		return this.delegate.resolve(RedisURI.create(node.host(), node.port()));
	}

}
