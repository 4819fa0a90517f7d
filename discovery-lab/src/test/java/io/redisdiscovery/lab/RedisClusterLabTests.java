package io.redisdiscovery.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisClusterLab}; they share one 3x1 cluster and each leaves it healthy with three masters.
 */
@ExtendWith(RedisLabExtension.class)
class RedisClusterLabTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static RedisClusterLab cluster;

	@BeforeAll
	static void setUp(RedisLab lab) {
		cluster = lab.startCluster(3, 1);
	}

	@Test
	void startsHealthyWithEvenlySplitSlotsAndOneReplicaPerMaster() {
		assertThat(cluster.nodes()).hasSize(6);
		assertThat(cluster.seedAddresses()).hasSize(6).allMatch((address) -> address.startsWith("127.0.0.1:"));
		assertThat(cluster.nodes()).allSatisfy((node) -> assertThat(
				InfoText.value(String.valueOf(node.command("CLUSTER", "INFO")), "cluster_state"))
			.isEqualTo("ok"));
		List<RedisServer> masters = cluster.masters();
		assertThat(masters).hasSize(3);
		assertThat(masters).allSatisfy((master) -> {
			assertThat(master.role()).isEqualTo("master");
			assertThat(cluster.replicasOf(master)).hasSize(1)
				.allSatisfy((replica) -> assertThat(replica.role()).isEqualTo("slave"));
		});
		assertThat(cluster.masterForSlot(0)).isSameAs(masters.get(0));
		assertThat(cluster.masterForSlot(RedisClusterLab.SLOTS - 1)).isSameAs(masters.get(2));
	}

	@Test
	void slotForMatchesTheServerIncludingHashTags() {
		RedisServer node = cluster.nodes().get(0);
		List<String> keys = List.of("foo", "123456789", "{user1000}.following", "{user1000}.followers", "foo{}{bar}",
				"foo{{bar}}zap", "foo{bar}{zap}", "", "ключ", "{}", "a{b");
		for (String key : keys) {
			assertThat(RedisClusterLab.slotFor(key)).as(key)
				.isEqualTo(((Long) node.command("CLUSTER", "KEYSLOT", key)).intValue());
		}
		assertThat(RedisClusterLab.slotFor("foo")).isEqualTo(12182);
		assertThat(RedisClusterLab.slotFor("{user1000}.following"))
			.isEqualTo(RedisClusterLab.slotFor("{user1000}.followers"));
	}

	@Test
	void killedMasterIsReplacedByItsReplicaAndRejoinsAsReplica() {
		String key = "promotion-key";
		RedisServer master = cluster.masterForSlot(RedisClusterLab.slotFor(key));
		RedisServer replica = cluster.replicasOf(master).get(0);
		master.command("SET", key, "kept");
		master.command("WAIT", "1", "2000");

		RedisServer killed = cluster.killMaster(master);
		RedisServer promoted = cluster.awaitPromotion(killed, TIMEOUT);

		assertThat(killed.isAlive()).isFalse();
		assertThat(promoted).isSameAs(replica);
		assertThat(cluster.masterForSlot(RedisClusterLab.slotFor(key))).isSameAs(promoted);
		assertThat(promoted.command("GET", key)).isEqualTo("kept");

		killed.restart();
		cluster.awaitClusterOk(TIMEOUT);
		assertThat(killed.role()).isEqualTo("slave");
		assertThat(cluster.replicasOf(promoted)).containsExactly(killed);
	}

	@Test
	void manualFailoverSwapsMasterAndReplica() {
		RedisServer master = cluster.masters().get(1);
		RedisServer replica = cluster.replicasOf(master).get(0);

		cluster.manualFailover(replica);

		assertThat(replica.role()).isEqualTo("master");
		assertThat(master.role()).isEqualTo("slave");
		assertThat(cluster.masters()).contains(replica).doesNotContain(master);
		assertThat(cluster.replicasOf(replica)).containsExactly(master);
	}

	@Test
	void moveSlotsMigratesSlotOwnershipAndKeys() {
		RedisServer target = cluster.masters().get(2);
		RedisServer source = cluster.masterForSlot(0);
		List<String> keys = new ArrayList<>();
		for (int i = 0; keys.size() < 50; i++) {
			String key = "move:" + i;
			if (RedisClusterLab.slotFor(key) < 200) {
				keys.add(key);
				source.command("SET", key, "v" + i);
			}
		}

		cluster.moveSlots(0, 199, target);

		assertThat(cluster.masterForSlot(0)).isSameAs(target);
		assertThat(cluster.masterForSlot(199)).isSameAs(target);
		assertThat(cluster.masterForSlot(200)).isSameAs(source);
		for (String key : keys) {
			assertThat(target.command("GET", key)).as(key).isNotNull();
			assertThat(source.command("CLUSTER", "COUNTKEYSINSLOT", String.valueOf(RedisClusterLab.slotFor(key))))
				.isEqualTo(0L);
		}
		assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> source.command("GET", keys.get(0)))
			.withMessageStartingWith("MOVED " + RedisClusterLab.slotFor(keys.get(0)) + " " + target.hostAndPort());

		cluster.moveSlots(0, 199, source);
		assertThat(cluster.masterForSlot(0)).isSameAs(source);
		assertThat(source.command("GET", keys.get(0))).isNotNull();
	}

	@Test
	void aMasterThatGetsAndLosesSlotsCanBeRemovedAgainAndAgain() {
		// Losing its last slot makes a master a replica of the new owner, sometimes before the lab's SETSLOT reaches
		// it; several rounds make that race likely.
		RedisServer owner = cluster.masterForSlot(0);
		for (int round = 0; round < 8; round++) {
			RedisServer added = cluster.addMaster();
			cluster.moveSlots(0, 0, added);
			assertThat(cluster.masterForSlot(0)).isSameAs(added);

			cluster.moveSlots(0, 0, owner);
			cluster.removeNode(added);

			assertThat(cluster.masterForSlot(0)).isSameAs(owner);
			assertThat(cluster.nodes()).hasSize(6).doesNotContain(added);
		}
	}

}
