package io.redisdiscovery.cluster;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slot map change wakes the retries through the topology listeners, so it must be published once the client routes
 * by the new map: Lettuce announces a new map before it installs it, and a retry woken then goes to the old master.
 * Every listener call here checks that the client already routes slot 0 where the published topology says.
 */
@ExtendWith(RedisLabExtension.class)
class SlotMapPublicationIntegrationTests {

	@Test
	void aSlotMapChangeShouldBePublishedOnceTheClientRoutesByIt(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()),
					// No traffic here: the periodic refresh brings the change.
					"redis.discovery.cluster.refresh.period=500ms")
			.run((context) -> {
				context.getBean(StringRedisTemplate.class).opsForValue().set("published", "yes");
				RedisClusterClient client = (RedisClusterClient) context.getBean(RetryingLettuceConnectionFactory.class)
					.getNativeClient();
				TopologySource topology = context.getBean(TopologySource.class);
				Queue<String> published = new ConcurrentLinkedQueue<>();
				topology.addListener((change) -> published.add(
						ownerOfSlotZero(change.after()) + " published, client routes to " + routedSlotZero(client)));
				RedisServer master = cluster.masterForSlot(0);
				RedisServer replica = cluster.replicasOf(master).get(0);
				cluster.manualFailover(replica);
				await("the promoted replica published as the owner of slot 0")
					.until(() -> published.stream().anyMatch((line) -> line.startsWith(replica.port() + " published")));
				assertThat(published).as("every publication, with where the client routed slot 0 at that moment")
					.allSatisfy((line) -> assertThat(line).matches("(\\d+) published, client routes to \\1"));
			});
	}

	private static int ownerOfSlotZero(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.MASTER && servesSlotZero(endpoint))
			.map((endpoint) -> endpoint.node().port())
			.findFirst()
			.orElse(-1);
	}

	private static boolean servesSlotZero(TopologyEndpoint endpoint) {
		return endpoint.details().get("slots") instanceof List<?> ranges && !ranges.isEmpty()
				&& String.valueOf(ranges.get(0)).startsWith("0-");
	}

	private static int routedSlotZero(RedisClusterClient client) {
		RedisClusterNode node = client.getPartitions().getPartitionBySlot(0);
		return (node != null) ? node.getUri().getPort() : -1;
	}

}
