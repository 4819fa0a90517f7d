package io.redisdiscovery.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.SocketAddressResolver;
import io.netty.util.NetUtil;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Maps the addresses cluster nodes announce to the addresses this client dials, for clients outside a NAT or
 * behind per-node proxies.
 *
 * @since 0.1.0
 */
public final class ClusterAddressMap {

	/** A map that dials every node at the address it announces. */
	public static final ClusterAddressMap NONE = new ClusterAddressMap(Map.of());

	private final Map<RedisNode, RedisNode> reachableByAnnounced;

	/**
	 * Creates a map.
	 * @param reachableByAnnounced the address to dial for each announced address
	 */
	public ClusterAddressMap(Map<RedisNode, RedisNode> reachableByAnnounced) {
		this.reachableByAnnounced = Map.copyOf(new LinkedHashMap<>(reachableByAnnounced));
	}

	/**
	 * The address to dial for an announced address.
	 * @param announced what the node announces
	 * @return the mapped address, or {@code announced} when it is not mapped
	 */
	public RedisNode map(RedisNode announced) {
		return this.reachableByAnnounced.getOrDefault(announced, announced);
	}

	/**
	 * How a connection to a node names its remote address ({@link InetSocketAddress#getHostString()} and port): the
	 * announced host, which the {@linkplain #resolver() resolver} gives the dialed address as its name, and the
	 * mapped port.
	 * @param announced what the node announces
	 * @return the host and port its connections report
	 */
	public RedisNode seenAs(RedisNode announced) {
		return new RedisNode(announced.host(), map(announced).port());
	}

	/**
	 * Whether no address is mapped.
	 * @return {@code true} when every node is dialled at its announced address
	 */
	public boolean isEmpty() {
		return this.reachableByAnnounced.isEmpty();
	}

	/**
	 * A Lettuce resolver that applies this map at every connect, or {@code null} when nothing is mapped. A mapped
	 * node is dialled at its reachable address, while TLS (SNI and host-name verification) still names the announced
	 * host: the certificate is the node's, and names what the node announces (or the database's host name), never a
	 * NAT address or per-node proxy the client happens to go through.
	 * @return the resolver, or {@code null}
	 */
	public @Nullable SocketAddressResolver resolver() {
		return isEmpty() ? null : new AnnouncedNameResolver(this);
	}

	/**
	 * Dials the reachable address of a mapped node through an {@link InetAddress} that carries the announced host as
	 * its name: Lettuce takes the TLS peer host from the resolved address's host string, so a plain mapping (as
	 * Lettuce's {@code MappingSocketAddressResolver} does) would verify the certificate against the reachable host.
	 * Unmapped addresses are left for Netty to resolve at connect, as Lettuce's default resolver does.
	 */
	private static final class AnnouncedNameResolver extends SocketAddressResolver {

		private final ClusterAddressMap map;

		AnnouncedNameResolver(ClusterAddressMap map) {
			super(DnsResolvers.UNRESOLVED);
			this.map = map;
		}

		@Override
		public SocketAddress resolve(RedisURI redisURI) {
			if (redisURI.getSocket() != null) {
				return super.resolve(redisURI);
			}
			RedisNode announced = new RedisNode(redisURI.getHost(), redisURI.getPort());
			RedisNode reachable = this.map.map(announced);
			if (reachable.equals(announced)) {
				return super.resolve(redisURI);
			}
			try {
				// An IP literal needs no lookup; a host name is looked up here (the JVM caches it), because the
				// address must be resolved to carry another name.
				byte[] ip = NetUtil.createByteArrayFromIpAddressString(reachable.host());
				byte[] address = (ip != null) ? ip : InetAddress.getByName(reachable.host()).getAddress();
				return new InetSocketAddress(InetAddress.getByAddress(announced.host(), address), reachable.port());
			}
			catch (UnknownHostException ex) {
				// Connecting then fails with the reachable host in the error, as it would have without the name.
				return InetSocketAddress.createUnresolved(reachable.host(), reachable.port());
			}
		}

	}

	@Override
	public String toString() {
		return "ClusterAddressMap" + this.reachableByAnnounced;
	}

}
