package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.util.Map;

import io.lettuce.core.RedisURI;
import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's remote address is how the cluster watches find the node it leads to: it must read as
 * {@link ClusterAddressMap#seenAs(RedisNode)} says, mapped or not.
 */
class ClusterAddressMapTests {

	private final ClusterAddressMap map = new ClusterAddressMap(
			Map.of(new RedisNode("10.0.0.1", 7000), new RedisNode("127.0.0.2", 17000)));

	@Test
	void aMappedNodeShouldBeSeenWithItsAnnouncedHostAndItsMappedPort() {
		RedisNode announced = new RedisNode("10.0.0.1", 7000);
		InetSocketAddress dialed = (InetSocketAddress) this.map.resolver().resolve(RedisURI.create("redis://10.0.0.1:7000"));
		assertThat(dialed.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
		assertThat(new RedisNode(dialed.getHostString(), dialed.getPort())).isEqualTo(this.map.seenAs(announced))
			.isEqualTo(new RedisNode("10.0.0.1", 17000));
	}

	@Test
	void anUnmappedNodeShouldBeSeenAsAnnounced() {
		RedisNode announced = new RedisNode("10.0.0.3", 7000);
		InetSocketAddress dialed = (InetSocketAddress) this.map.resolver().resolve(RedisURI.create("redis://10.0.0.3:7000"));
		assertThat(new RedisNode(dialed.getHostString(), dialed.getPort())).isEqualTo(this.map.seenAs(announced))
			.isEqualTo(announced);
	}

}
