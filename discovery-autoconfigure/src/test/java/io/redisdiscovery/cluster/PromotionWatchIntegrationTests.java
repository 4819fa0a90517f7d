package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a master dies, the client must learn of its replica's promotion from the replica, not from the next refresh
 * that failing commands may trigger. Here triggered and periodic refreshes are a minute apart: the refreshes right
 * after the kill still show the dead master, so without the watch the first write to its slots would wait for that
 * minute, far past the deadline. The watch must also outlive a poll that fails.
 */
@ExtendWith(RedisLabExtension.class)
class PromotionWatchIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@Test
	void aWriteToTheSlotsOfAKilledMasterShouldGoAsSoonAsItsReplicaIsPromoted(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()),
					"redis.discovery.cluster.refresh.min-interval=60s", "redis.discovery.cluster.refresh.period=60s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisServer master = cluster.masters().get(0);
				String key = keyServedBy(cluster, master);
				redis.opsForValue().set(key, "0");
				AtomicBoolean writing = new AtomicBoolean(true);
				AtomicLong written = new AtomicLong();
				CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
					while (writing.get()) {
						try {
							redis.opsForValue().set(key, Long.toString(written.get() + 1));
							written.incrementAndGet();
						}
						catch (RuntimeException ex) {
							// Retries ran out while the slots had no reachable master; the application writes again.
						}
					}
				});
				try {
					cluster.killMaster(master);
					RedisServer promoted = cluster.awaitPromotion(master, DEADLINE);
					long before = written.get();
					await("a write to the failed master's slots after the promotion").atMost(DEADLINE)
						.until(() -> written.get() > before);
					assertThat(promoted.command("GET", key)).isNotNull();
				}
				finally {
					writing.set(false);
					writer.join();
				}
			});
	}

	/**
	 * A frozen master (its kernel accepts and acknowledges, nothing answers, nothing is closed) fails no reconnect, and
	 * with a minute-long command timeout no command times out: the watch must start from the silence itself, and the
	 * write waiting on the frozen master must go to the promoted replica instead of waiting out its minute.
	 */
	@Test
	void aWriteWaitingOnAFrozenMasterShouldGoToItsReplicaOnceItIsPromoted(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()),
					"redis.discovery.cluster.refresh.min-interval=60s", "redis.discovery.cluster.refresh.period=60s",
					"redis.discovery.timeout.command=60s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisServer master = cluster.masters().get(0);
				RedisServer replica = cluster.replicasOf(master).get(0);
				String key = keyServedBy(cluster, master);
				redis.opsForValue().set(key, "before");
				master.freeze();
				try {
					CompletableFuture<Void> write = CompletableFuture
						.runAsync(() -> redis.opsForValue().set(key, "after"));
					await("the replica's promotion").atMost(DEADLINE).until(() -> "master".equals(replica.role()));
					await("the write waiting on the frozen master").atMost(DEADLINE).until(write::isDone);
					assertThat(write).isCompleted();
					assertThat(replica.command("GET", key)).isEqualTo("after");
				}
				finally {
					master.thaw();
				}
			});
	}

	@Test
	void aFailedPollShouldNotEndTheWatch(RedisLab lab) {
		// A standalone server answers ROLE master: it stands for a replica already promoted.
		RedisServer promoted = lab.startServer();
		RedisNode replica = new RedisNode("127.0.0.1", promoted.port());
		ClientResources resources = ClientResources.create();
		AtomicInteger routingReads = new AtomicInteger();
		AtomicInteger refreshes = new AtomicInteger();
		// The first read of the slot map fails, as one taken while a refresh refills it can.
		Predicate<RedisNode> routedAsMaster = (node) -> {
			if (routingReads.incrementAndGet() == 1) {
				throw new ConcurrentModificationException();
			}
			return false;
		};
		try (ClusterNodeQuery query = new ClusterNodeQuery(resources, null, ClientOptions.create(), Credentials.NONE,
				Duration.ofSeconds(2), false);
				PromotionWatch watch = new PromotionWatch(query, refreshes::incrementAndGet, routedAsMaster)) {
			watch.masterUnreachable("dead-master", List.of(replica));
			await("a refresh after the failed poll").atMost(DEADLINE).until(() -> refreshes.get() > 0);
		}
		finally {
			resources.shutdown();
		}
	}

	private static String keyServedBy(RedisClusterLab cluster, RedisServer master) {
		for (int i = 0;; i++) {
			String key = "promotion-" + i;
			if (cluster.masterForSlot(RedisClusterLab.slotFor(key)).equals(master)) {
				return key;
			}
		}
	}

}
