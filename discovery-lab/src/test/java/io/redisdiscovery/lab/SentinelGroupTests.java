package io.redisdiscovery.lab;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.internal.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SentinelGroup}.
 */
@ExtendWith(RedisLabExtension.class)
class SentinelGroupTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	private static RedisLab lab;

	@BeforeAll
	static void setUp(RedisLab redisLab) {
		lab = redisLab;
	}

	@Test
	void startsAMasterWithReplicasAndThreeSentinelsThatSeeEachOther() {
		try (SentinelGroup group = lab.startSentinelGroup("started", 2)) {
			assertThat(group.masterName()).isEqualTo("started");
			assertThat(group.master().role()).isEqualTo("master");
			assertThat(group.replicas()).hasSize(2).allSatisfy((replica) -> {
				assertThat(replica.role()).isEqualTo("slave");
				assertThat(replica.infoValue("replication", "master_link_status")).isEqualTo("up");
			});
			assertThat(group.sentinels()).hasSize(3).allSatisfy((sentinel) -> {
				assertThat(sentinel.role()).isEqualTo("sentinel");
				assertThat(SentinelGroup.flatMap(sentinel.command("SENTINEL", "MASTER", "started")))
					.containsEntry("quorum", "2")
					.containsEntry("down-after-milliseconds", "1000")
					.containsEntry("failover-timeout", "3000")
					.containsEntry("parallel-syncs", "1");
			});
			assertThat(group.sentinelAddresses()).hasSize(3).allMatch((address) -> address.startsWith("127.0.0.1:"));
		}
	}

	@Test
	void orderedFailoverAndKilledMasterBothProduceANewMaster() {
		try (SentinelGroup group = lab.startSentinelGroup("chaos", 2)) {
			RedisServer first = group.master();
			first.command("SET", "survivor", "yes");
			first.command("WAIT", "2", "2000");

			group.failover();
			RedisServer second = group.awaitNewMaster(first, FAILOVER_TIMEOUT);

			assertThat(second).isNotSameAs(first);
			assertThat(first.isAlive()).isTrue();
			assertThat(second.command("GET", "survivor")).isEqualTo("yes");

			RedisServer killed = group.killMaster();
			RedisServer third = group.awaitNewMaster(killed, FAILOVER_TIMEOUT);

			assertThat(killed).isSameAs(second);
			assertThat(killed.isAlive()).isFalse();
			assertThat(third).isNotSameAs(second);
			assertThat(group.master()).isSameAs(third);
			assertThat(third.command("GET", "survivor")).isEqualTo("yes");
			group.awaitReplicasInSync(FAILOVER_TIMEOUT);
			assertThat(group.replicas()).isNotEmpty().doesNotContain(third, killed);
		}
	}

	@Test
	void anOrderedFailoverTheSentinelsGaveUpIsOrderedAgain() {
		try (SentinelGroup group = lab.startSentinelGroup("given-up", 1)) {
			RedisServer first = group.master();
			RedisServer replica = group.replicas().get(0);
			replica.freeze();
			try {
				group.failover();
				// The frozen replica never reports its promotion, so the Sentinel aborts after failover-timeout.
				Await.untilTrue("a Sentinel to abort the failover", FAILOVER_TIMEOUT,
						() -> group.sentinels().stream().anyMatch(SentinelGroupTests::abortedAFailover));
			}
			finally {
				replica.thaw();
			}

			assertThat(group.awaitNewMaster(first, Duration.ofSeconds(60))).isSameAs(replica);
		}
	}

	private static boolean abortedAFailover(RedisServer sentinel) {
		return sentinel.logTail(200).stream().anyMatch((line) -> line.contains("-failover-abort"));
	}

	@Test
	void passwordsProtectDataNodesAndSentinelsSeparately() {
		SentinelGroupOptions options = SentinelGroupOptions.defaults()
			.withDataPassword("data-pass")
			.withSentinelPassword("sentinel-pass");
		try (SentinelGroup group = lab.startSentinelGroup("secured", 1, options)) {
			RedisServer master = group.master();
			RedisServer sentinel = group.sentinels().get(0);

			assertThat(master.command("SET", "k", "v")).isEqualTo("OK");
			assertThatExceptionOfType(RedisLabException.class)
				.isThrownBy(() -> RespClient.call(master.address(), Duration.ofSeconds(2), "GET", "k"))
				.withMessageStartingWith("NOAUTH");
			assertThatExceptionOfType(RedisLabException.class)
				.isThrownBy(() -> RespClient.call(sentinel.address(), Duration.ofSeconds(2), "SENTINEL", "MASTERS"))
				.withMessageStartingWith("NOAUTH");
			assertThat(RespClient.callAuthenticated(sentinel.address(), Duration.ofSeconds(2), null, "sentinel-pass",
					"SENTINEL", "GET-MASTER-ADDR-BY-NAME", "secured"))
				.isEqualTo(List.of("127.0.0.1", String.valueOf(master.port())));
		}
	}

}
