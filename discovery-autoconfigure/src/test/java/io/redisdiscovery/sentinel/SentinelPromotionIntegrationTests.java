package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes held for a failover go to the promoted replica as soon as it reports itself master
 * ({@code +promoted-slave}), not when the failover ends ({@code +switch-master}). Here the end is held off: the
 * starter knows only the leading Sentinel, which announces the switch once every other replica follows the new
 * master, and the other replica is down but not yet judged down. Until the switch, the old master still answers as
 * master, so the starter must know the promoted replica's epoch to never go back to it.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(120)
class SentinelPromotionIntegrationTests {

	private static final String MASTER = "promotion";

	/** Far beyond the test: the failover cannot end, and the dead replica is not judged down, before it is over. */
	private static final String HELD_OFF_MILLIS = "300000";

	@Test
	void heldWritesShouldGoToThePromotedReplicaBeforeTheSwitchIsAnnounced(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup(MASTER, 2);
		RedisServer oldMaster = group.master();
		RedisServer survivor = group.replicas().get(0);
		RedisServer stuck = group.replicas().get(1);
		RedisServer leader = group.sentinels().get(0);
		for (RedisServer sentinel : group.sentinels()) {
			sentinel.command("SENTINEL", "SET", MASTER, "failover-timeout", HELD_OFF_MILLIS,
					"down-after-milliseconds", HELD_OFF_MILLIS);
		}
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + MASTER,
					"redis.discovery.sentinel.nodes=" + leader.hostAndPort(),
					// A held write waits for one attempt of 30 s, and no periodic discovery runs meanwhile: only the
					// promotion can release it within the deadline.
					"redis.discovery.timeout.command=30s", "redis.discovery.sentinel.check-interval=1h",
					"redis.discovery.sentinel.failover-hold.max-duration=60s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				// Never reconfigured: the leader announces the switch only at its failover-timeout.
				stuck.kill();
				leader.command("SENTINEL", "FAILOVER", MASTER);
				await("the leader names the promoted replica").atMost(Duration.ofSeconds(30))
					.until(() -> !oldMaster.announcedHostAndPort().equals(namedBy(leader)));
				CompletableFuture<Void> write = CompletableFuture
					.runAsync(() -> redis.opsForValue().set("after", "2"));
				await("a write after the promotion").atMost(Duration.ofSeconds(15)).until(write::isDone);
				write.join();
				assertThat(survivor.announcedHostAndPort()).as("the promoted replica").isEqualTo(namedBy(leader));
				assertThat(survivor.command("GET", "after")).isEqualTo("2");
				assertThat(String.valueOf(leader.command("SENTINEL", "MASTER", MASTER)))
					.as("the leader's failover, not ended yet")
					.contains("failover_in_progress");
			});
	}

	private static String namedBy(RedisServer sentinel) {
		List<?> address = (List<?>) sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
		return address.get(0) + ":" + address.get(1);
	}

}
