package io.redisdiscovery.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.lab.proxy.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for clusters whose nodes announce proxy addresses, as behind NAT or a per-node load balancer.
 */
@ExtendWith(RedisLabExtension.class)
class ClusterAnnounceTests {

	@Test
	void nodesAnnounceTheirProxiesInTopologyAndRedirects(RedisLab lab) {
		List<TcpProxy> proxies = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			proxies.add(lab.startProxy("127.0.0.2" + (i + 1)));
		}
		RedisClusterOptions options = RedisClusterOptions.defaults()
			.withAnnouncer((index, actual) -> proxies.get(index).address());

		try (RedisClusterLab cluster = lab.startCluster(3, 0, options)) {
			for (int i = 0; i < 3; i++) {
				proxies.get(i).setBackends(cluster.nodes().get(i).address());
			}

			assertThat(cluster.seedAddresses())
				.containsExactlyElementsOf(proxies.stream().map(TcpProxy::hostAndPort).toList());
			String topology = String.valueOf(cluster.nodes().get(0).command("CLUSTER", "NODES"));
			proxies.forEach((proxy) -> assertThat(topology).contains(proxy.hostAndPort() + "@"));

			String key = "behind-nat";
			RedisServer owner = cluster.masterForSlot(RedisClusterLab.slotFor(key));
			int ownerIndex = cluster.nodes().indexOf(owner);
			TcpProxy wrongProxy = proxies.get((ownerIndex + 1) % 3);
			assertThatExceptionOfType(RedisLabException.class)
				.isThrownBy(() -> RespClient.call(wrongProxy.address(), Duration.ofSeconds(2), "SET", key, "v"))
				.withMessage("MOVED " + RedisClusterLab.slotFor(key) + " " + proxies.get(ownerIndex).hostAndPort());
			assertThat(RespClient.call(proxies.get(ownerIndex).address(), Duration.ofSeconds(2), "SET", key, "v"))
				.isEqualTo("OK");
		}
	}

}
