package io.redisdiscovery.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.resource.SocketAddressResolver;
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
	 * Whether no address is mapped.
	 * @return {@code true} when every node is dialled at its announced address
	 */
	public boolean isEmpty() {
		return this.reachableByAnnounced.isEmpty();
	}

	/**
	 * A Lettuce resolver that applies this map at every connect, or {@code null} when nothing is mapped.
	 * @return the resolver, or {@code null}
	 */
	public @Nullable SocketAddressResolver resolver() {
		if (isEmpty()) {
			return null;
		}
		Function<HostAndPort, HostAndPort> mapping = (hostAndPort) -> {
			RedisNode mapped = map(new RedisNode(hostAndPort.getHostText(), hostAndPort.getPort()));
			return HostAndPort.of(mapped.host(), mapped.port());
		};
		return MappingSocketAddressResolver.create(mapping);
	}

	@Override
	public String toString() {
		return "ClusterAddressMap" + this.reachableByAnnounced;
	}

}
