package io.redisdiscovery.sentinel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.sentinel.DiscoveryServiceStandIn;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SentinelTopologySource} on its own against real Sentinels behind the discovery service stand-in, which
 * publishes no events: every event the source sees is one the test sends, so events can be "missed" at will.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(120)
class SentinelTopologySourceIntegrationTests {

	private static final String MASTER = "leftover";

	private static final Duration MAX_HOLD = Duration.ofSeconds(3);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@Test
	void failoverAfterAHoldEndedByMaxDurationShouldHoldUntilItsOwnNewMasterIsConfirmed(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup(MASTER, 1);
		DiscoveryServiceStandIn discoveryService = lab.startDiscoveryServiceStandIn(group);
		RedisNode sentinel = RedisNode.parse(discoveryService.hostAndPort());
		FailoverWriteGuard guard = new FailoverWriteGuard(true, MAX_HOLD, TIMEOUT, 0, Duration.ofMillis(100));
		ClientResources resources = ClientResources.create();
		SentinelSettings settings = new SentinelSettings(MASTER, List.of(sentinel), false, Duration.ofMinutes(10),
				TIMEOUT);
		SentinelClient client = new SentinelClient(resources, ClientOptions.create(), Credentials.NONE,
				Credentials.NONE, TIMEOUT, false);
		try (SentinelTopologySource source = new SentinelTopologySource(settings, client, guard,
				resources.socketAddressResolver(), Clock.systemUTC())) {
			source.start(true);
			RedisServer firstServer = group.master();
			RedisNode first = master(source);
			// A failover begins and its end is missed: the hold ends by max-duration.
			source.onEvent(sentinel, failoverStarted(first));
			assertThat(guard.isHoldingWrites()).isTrue();
			await("hold ended by max-duration").atMost(MAX_HOLD.multipliedBy(3)).until(() -> !guard.isHoldingWrites());
			group.failover();
			RedisServer secondServer = group.awaitNewMaster(firstServer, Duration.ofSeconds(30));
			source.refresh("periodic check");
			RedisNode second = master(source);
			assertThat(second.port()).isEqualTo(secondServer.port());
			// The next failover begins while the Sentinels still name the master it is about to replace.
			source.onEvent(sentinel, failoverStarted(second));
			assertThat(guard.isHoldingWrites()).isTrue();
			source.refresh("periodic check");
			assertThat(guard.isHoldingWrites()).as("writes held until a master other than %s is confirmed", second)
				.isTrue();
			assertThat(source.current().details()).containsEntry("failoverInProgress", true);
		}
		finally {
			resources.shutdown();
		}
	}

	private static RedisNode master(SentinelTopologySource source) {
		return source.current().endpoints().get(0).node();
	}

	private static SentinelEvent failoverStarted(RedisNode master) {
		return new SentinelEvent(SentinelEvent.Kind.FAILOVER_STARTED, "+try-failover", MASTER, master, null);
	}

}
