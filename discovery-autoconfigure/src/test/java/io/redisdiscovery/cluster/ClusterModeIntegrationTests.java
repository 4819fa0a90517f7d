package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisClusterOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class ClusterModeIntegrationTests {

	private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void templateShouldRouteEveryKeyAndTopologyShouldDescribeCluster(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		cluster(cluster.seedAddresses().subList(0, 1)).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			for (int i = 0; i < 50; i++) {
				redis.opsForValue().set("key-" + i, "value-" + i);
			}
			for (int i = 0; i < 50; i++) {
				String key = "key-" + i;
				assertThat(cluster.masterForSlot(RedisClusterLab.slotFor(key)).command("GET", key))
					.isEqualTo("value-" + i);
			}
			RedisTopology topology = context.getBean(TopologySource.class).refresh("test");
			assertThat(topology.stale()).isFalse();
			assertThat(topology.details()).containsEntry("cluster_state", "ok")
				.containsEntry("cluster_slots_ok", 16384L)
				.containsEntry("masters", 3)
				.containsEntry("replicas", 3);
			assertThat(topology.endpoints()).hasSize(6);
			TopologyEndpoint first = topology.endpoints().get(0);
			assertThat(first.role()).isEqualTo(NodeRole.MASTER);
			assertThat(first.reachable()).isTrue();
			assertThat(first.inUse()).isTrue();
			assertThat(first.details()).containsEntry("slots", List.of("0-5460"))
				.containsEntry("link_state", "connected")
				.containsKeys("node_id", "config_epoch", "flags");
		});
	}

	@Test
	void workloadShouldSeeNoErrorWhenMasterIsKilled(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		cluster(cluster.seedAddresses()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			try (Workload workload = new Workload(redis, "kill").start(4)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				RedisServer master = cluster.killMaster(cluster.masters().get(0));
				RedisServer promoted = cluster.awaitPromotion(master, PROMOTION_TIMEOUT);
				workload.awaitProgress(300, PROGRESS_TIMEOUT);
				workload.close();
				assertThat(workload.errors()).isEmpty();
				// Asynchronous replication may lose the writes of the last moments before a kill -9, so only
				// errors are checked here; failover and resharding below check that no write is lost.
				await("topology with the promoted master").atMost(PROMOTION_TIMEOUT)
					.untilAsserted(() -> assertThat(topology.current().endpoints()).as("%s", topology.current())
						.anySatisfy((endpoint) -> {
							assertThat(endpoint.node().port()).isEqualTo(promoted.port());
							assertThat(endpoint.role()).isEqualTo(NodeRole.MASTER);
							assertThat(endpoint.details().get("slots")).isEqualTo(List.of("0-5460"));
						}));
			}
		});
	}

	@Test
	void workloadShouldSeeNoErrorNorLongCallWhenReplicaTakesOverManually(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		cluster(cluster.seedAddresses()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			RedisServer master = cluster.masters().get(0);
			String key = keyServedBy(cluster, master);
			redis.opsForValue().set(key, "steady");
			try (Workload workload = new Workload(redis, "failover").start(4);
					LongestCall reads = new LongestCall(redis, key)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				cluster.manualFailover(cluster.replicasOf(master).get(0));
				workload.awaitProgress(300, PROGRESS_TIMEOUT);
				workload.close();
				reads.close();
				assertThat(workload.errors()).isEmpty();
				assertThat(reads.errors()).isZero();
				assertThat(reads.longest()).as("longest GET on the failed-over slots")
					.isLessThan(Duration.ofSeconds(2));
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void workloadShouldSeeNoErrorNorLostWriteWhenSlotsMove(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		cluster(cluster.seedAddresses()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "reshard").start(4)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				RedisServer target = cluster.masters().get(1);
				cluster.moveSlots(0, 399, target);
				cluster.moveSlots(5461, 5860, cluster.masters().get(2));
				workload.awaitProgress(300, PROGRESS_TIMEOUT);
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
				assertThat(cluster.masterForSlot(0)).isEqualTo(target);
			}
		});
	}

	@Test
	void workloadShouldFollowANodeThatJoinsTakesSlotsAndLeaves(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		cluster(cluster.seedAddresses()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			RedisServer owner = cluster.masterForSlot(0);
			try (Workload workload = new Workload(redis, "membership").start(4)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				RedisServer added = cluster.addMaster();
				cluster.moveSlots(0, 499, added);
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				await("topology with the added master").atMost(PROMOTION_TIMEOUT)
					.untilAsserted(() -> assertThat(topology.current().endpoints())
						.anySatisfy((endpoint) -> {
							assertThat(endpoint.node().port()).isEqualTo(added.port());
							assertThat(endpoint.role()).isEqualTo(NodeRole.MASTER);
							assertThat(endpoint.details().get("slots")).isEqualTo(List.of("0-499"));
						}));
				cluster.moveSlots(0, 499, owner);
				cluster.removeNode(added);
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				await("topology without the removed node").atMost(PROMOTION_TIMEOUT)
					.untilAsserted(() -> assertThat(topology.current().endpoints())
						.noneSatisfy((endpoint) -> assertThat(endpoint.node().port()).isEqualTo(added.port())));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void clientShouldReachNodesThatAnnounceUnreachableAddressesThroughAddressMap(RedisLab lab) {
		List<TcpProxy> proxies = new ArrayList<>();
		List<String> internal = new ArrayList<>();
		// Replicas would replicate from the announced addresses, so these clusters have masters only.
		for (int i = 0; i < 3; i++) {
			proxies.add(lab.startProxy("127.0.0.1"));
			// Nothing listens there: it stands for an address inside the NAT.
			internal.add("127.0.0.1:" + FreePorts.pick("127.0.0.1"));
		}
		RedisClusterOptions options = RedisClusterOptions.defaults()
			.withAnnouncer((index, actual) -> new InetSocketAddress("127.0.0.1", port(internal.get(index))));
		RedisClusterLab cluster = lab.startCluster(3, 0, options);
		for (int i = 0; i < 3; i++) {
			proxies.get(i).setBackends(cluster.nodes().get(i).address());
		}
		Map<String, Object> addressMap = new LinkedHashMap<>();
		for (int i = 0; i < 3; i++) {
			addressMap.put("redis.discovery.cluster.address-map.[" + internal.get(i) + "]",
					proxies.get(i).hostAndPort());
		}
		cluster(proxies.stream().limit(2).map(TcpProxy::hostAndPort).toList())
			.withInitializer(properties(addressMap))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, "nat").start(2)) {
					workload.awaitProgress(200, PROGRESS_TIMEOUT);
					workload.close();
					assertThat(workload.errors()).isEmpty();
					workload.assertNoAcknowledgedWriteLost(redis);
				}
				assertThat(proxies).allSatisfy((proxy) -> assertThat(proxy.acceptedConnections()).isPositive());
				RedisTopology topology = context.getBean(TopologySource.class).refresh("test");
				assertThat(topology.details()).containsEntry("cluster_state", "ok");
				assertThat(topology.endpoints()).extracting((endpoint) -> endpoint.node().toString())
					.containsExactlyInAnyOrderElementsOf(internal);
			});
	}

	@Test
	void workloadShouldRecoverThroughSeedsWhenEveryNodeAddressChanges(RedisLab lab) {
		List<TcpProxy> before = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			before.add(lab.startProxy("127.0.0.1"));
		}
		RedisClusterLab cluster = lab.startCluster(3, 0,
				RedisClusterOptions.defaults().withAnnouncer((index, actual) -> before.get(index).address()));
		for (int i = 0; i < 3; i++) {
			before.get(i).setBackends(cluster.nodes().get(i).address());
		}
		// The seed is a stable name (a DNS name or a load balancer in production) that keeps pointing at the cluster.
		TcpProxy seed = lab.startProxy("127.0.0.1", cluster.nodes().get(0).address());
		cluster(List.of(seed.hostAndPort())).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "moved-ips").start(4)) {
				workload.awaitProgress(200, PROGRESS_TIMEOUT);
				List<TcpProxy> after = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					RedisServer node = cluster.nodes().get(i);
					TcpProxy proxy = lab.startProxy("127.0.0.1", node.address());
					after.add(proxy);
					node.command("CONFIG", "SET", "cluster-announce-port", String.valueOf(proxy.port()));
				}
				for (TcpProxy old : before) {
					old.refuseNewConnections(true);
					old.killConnections();
				}
				workload.awaitProgress(300, PROGRESS_TIMEOUT);
				workload.close();
				assertThat(workload.errors()).isEmpty();
				assertThat(after).allSatisfy((proxy) -> assertThat(proxy.acceptedConnections()).isPositive());
			}
		});
	}

	private ApplicationContextRunner cluster(List<String> seeds) {
		return this.contextRunner.withPropertyValues("redis.discovery.mode=cluster",
				"redis.discovery.cluster.nodes=" + String.join(",", seeds));
	}

	private static String keyServedBy(RedisClusterLab cluster, RedisServer master) {
		for (int i = 0;; i++) {
			String key = "probe-" + i;
			if (cluster.masterForSlot(RedisClusterLab.slotFor(key)).equals(master)) {
				return key;
			}
		}
	}

	private static int port(String hostAndPort) {
		return RedisNode.parse(hostAndPort).port();
	}

	/** Property names with a colon, which withPropertyValues would take for the separator. */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> properties(Map<String, Object> values) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("colon-keys", values));
	}

	/** A thread that reads one key in a loop and remembers the longest call the application saw. */
	private static final class LongestCall implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong longestNanos = new AtomicLong();

		private final AtomicLong errors = new AtomicLong();

		private final Thread thread;

		LongestCall(StringRedisTemplate redis, String key) {
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					long started = System.nanoTime();
					try {
						redis.opsForValue().get(key);
					}
					catch (RuntimeException ex) {
						this.errors.incrementAndGet();
					}
					this.longestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
				}
			}, "longest-call");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		Duration longest() {
			return Duration.ofNanos(this.longestNanos.get());
		}

		long errors() {
			return this.errors.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(Duration.ofSeconds(30).toMillis());
		}

	}

}
