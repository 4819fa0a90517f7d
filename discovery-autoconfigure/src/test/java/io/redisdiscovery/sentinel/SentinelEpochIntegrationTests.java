package io.redisdiscovery.sentinel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SentinelTopologySource} against a group whose first configured Sentinel missed a failover that the third
 * one ordered: it still names the old master, which still answers {@code ROLE} master (Sentinel demotes it only
 * later), so only the epochs of the other Sentinels tell that it is stale.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(120)
class SentinelEpochIntegrationTests {

	private static final String MASTER = "epoch";

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Long enough that no Sentinel publishes its configuration again during the test: the Sentinel that missed the
	 * failover stays behind, and the old master is not demoted (Sentinel waits four publish periods before it turns a
	 * node that still claims to be master into a replica).
	 */
	private static final String QUIET_PUBLISH_PERIOD = "120000";

	@Test
	void shouldNeverMoveBackToTheOldMasterThatTheFirstSentinelStillNames(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup(MASTER, 1);
		List<RedisServer> sentinels = group.sentinels();
		RedisServer first = sentinels.get(0);
		RedisServer third = sentinels.get(2);
		RedisServer oldMaster = group.master();
		ClientResources resources = ClientResources.create();
		SentinelSettings settings = new SentinelSettings(MASTER,
				group.sentinelAddresses().stream().map(RedisNode::parse).toList(), false, Duration.ofHours(1),
				TIMEOUT);
		SentinelClient client = new SentinelClient(resources, ClientOptions.create(), Credentials.NONE,
				Credentials.NONE, TIMEOUT, false);
		FailoverWriteGuard guard = new FailoverWriteGuard(true, Duration.ofSeconds(10), TIMEOUT, 0,
				Duration.ofMillis(100));
		AtomicInteger moves = new AtomicInteger();
		try (SentinelTopologySource source = new SentinelTopologySource(settings, client, guard,
				resources.socketAddressResolver(), Clock.systemUTC())) {
			source.bind(moves::incrementAndGet);
			source.start(true);
			assertThat(masterPort(source.current())).isEqualTo(oldMaster.port());
			// The first Sentinel is down while the third one orders a failover, and comes back with the
			// configuration it had.
			first.kill();
			third.command("SENTINEL", "FAILOVER", MASTER);
			RedisServer promoted = group.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
			for (RedisServer live : sentinels.subList(1, sentinels.size())) {
				live.command("SENTINEL", "DEBUG", "publish-period", QUIET_PUBLISH_PERIOD);
			}
			await("the +switch-master followed").atMost(Duration.ofSeconds(10))
				.until(() -> masterPort(source.current()) == promoted.port());
			assertThat(source.current().details()).containsEntry("configEpoch", 1L);
			first.restart();
			// Otherwise it would, after four of its publish periods, turn the promoted node back into a replica.
			first.command("SENTINEL", "DEBUG", "publish-period", QUIET_PUBLISH_PERIOD);
			assertThat(first.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)).as("the first Sentinel is behind")
				.isEqualTo(List.of(oldMaster.host(), String.valueOf(oldMaster.port())));
			assertThat(oldMaster.role()).as("the old master, not demoted yet").isEqualTo("master");
			int movesBefore = moves.get();

			RedisTopology afterDiscovery = source.refresh("test: first Sentinel behind");
			assertThat(masterPort(afterDiscovery)).isEqualTo(promoted.port());
			assertThat(afterDiscovery.details().get("problems")).asString()
				.contains(first.hostAndPort() + " names " + oldMaster.hostAndPort())
				.contains("older than 1");

			// A +switch-master back to the old master, from the Sentinel that is behind: the old master confirms
			// its role, the Sentinel names it under epoch 0.
			source.onEvent(RedisNode.parse(first.hostAndPort()), new SentinelEvent(SentinelEvent.Kind.SWITCH_MASTER,
					"+switch-master", MASTER, RedisNode.parse(promoted.hostAndPort()),
					RedisNode.parse(oldMaster.hostAndPort())));
			await("the stale +switch-master handled").during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> masterPort(source.current()) == promoted.port());
			assertThat(moves.get()).as("connections moved after the failover").isEqualTo(movesBefore);
		}
		finally {
			resources.shutdown();
		}
	}

	private static int masterPort(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.MASTER)
			.mapToInt((endpoint) -> endpoint.node().port())
			.findFirst()
			.orElse(-1);
	}

}
