package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.redisdiscovery.topology.RedisNode;

/**
 * The nodes a cluster client routes by, read from its slot map. Reading it may load it (a blocking call) when the
 * client has none yet, so none of this runs on a Lettuce event loop.
 */
final class RoutedNodes {

	private RoutedNodes() {
	}

	/**
	 * The nodes of the client's slot map.
	 * @param client the client
	 * @return its nodes, none when it has no slot map yet and could not load one
	 */
	static List<RedisClusterNode> of(RedisClusterClient client) {
		try {
			// The read view, replaced whole at each reload. Partitions.getPartitions() is the list a refresh clears and
			// fills in place: read during a refresh, it can be empty or throw ConcurrentModificationException.
			return List.copyOf(client.getPartitions());
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	/**
	 * The master that a connection's remote address leads to.
	 * @param client the client
	 * @param addressMap maps the announced addresses of the slot map to the addresses dialed
	 * @param address a remote address the client dialed
	 * @return the master, if a master of the slot map is dialed there
	 */
	static Optional<RedisClusterNode> masterAt(RedisClusterClient client, ClusterAddressMap addressMap,
			SocketAddress address) {
		return nodeAt(client, addressMap, address).filter((node) -> node.is(NodeFlag.UPSTREAM));
	}

	/**
	 * The node, master or replica, that a connection's remote address leads to.
	 * @param client the client
	 * @param addressMap maps the announced addresses of the slot map to the addresses dialed
	 * @param address a remote address the client dialed
	 * @return the node, if a node of the slot map is dialed there
	 */
	static Optional<RedisClusterNode> nodeAt(RedisClusterClient client, ClusterAddressMap addressMap,
			SocketAddress address) {
		if (!(address instanceof InetSocketAddress remote)) {
			return Optional.empty();
		}
		return of(client).stream().filter((node) -> node.getUri() != null).filter((node) -> {
			RedisNode seen = addressMap.seenAs(announced(node.getUri()));
			return seen.port() == remote.getPort() && seen.host().equals(remote.getHostString());
		}).findFirst();
	}

	/**
	 * Whether the slot map routes to a node as a master serving slots.
	 * @param client the client
	 * @param node the node's announced address
	 * @return {@code true} when it does
	 */
	static boolean isMasterWithSlots(RedisClusterClient client, RedisNode node) {
		return of(client).stream()
			.anyMatch((known) -> known.is(NodeFlag.UPSTREAM) && !known.getSlots().isEmpty() && known.getUri() != null
					&& announced(known.getUri()).equals(node));
	}

	/**
	 * The replicas of a master.
	 * @param client the client
	 * @param master a master of its slot map
	 * @return the announced addresses of its replicas
	 */
	static List<RedisNode> replicasOf(RedisClusterClient client, RedisClusterNode master) {
		return of(client).stream()
			.filter((node) -> master.getNodeId().equals(node.getSlaveOf()) && node.getUri() != null)
			.map((node) -> announced(node.getUri()))
			.toList();
	}

	/**
	 * A node's announced address, as the slot map names it.
	 * @param uri the node's URI in the slot map
	 * @return its host and port
	 */
	static RedisNode announced(RedisURI uri) {
		return new RedisNode(uri.getHost(), uri.getPort());
	}

}
