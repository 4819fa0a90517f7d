package io.redisdiscovery.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.redisdiscovery.test.FakeTopologySource;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health indicator's logic against a source whose answers the test decides; the indicator against real servers
 * is covered by the actuator integration tests.
 */
class RedisDiscoveryHealthIndicatorTests {

	private RedisDiscoveryHealthIndicator indicator;

	@AfterEach
	void destroy() {
		if (this.indicator != null) {
			this.indicator.destroy();
		}
	}

	@Test
	void healthShouldBeUpWithTheFreshTopologyWhenAMasterIsReachable() {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.SENTINEL, NodeRole.UNKNOWN, 6379, Map.of()))
			.answerNext(FakeTopologySource.topology(DiscoveryMode.SENTINEL, NodeRole.MASTER, 6380,
					Map.of("master", "orders")));

		Health health = indicator(source, Duration.ofSeconds(5)).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("mode", "sentinel")
			.containsEntry("master", "orders")
			.containsEntry("stale", false);
		assertThat(source.refreshReasons()).containsExactly("health check");
	}

	@Test
	void healthShouldBeDownWhenNoEndpointAcceptsWrites() {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.LOAD_BALANCER, NodeRole.REPLICA, 6379, Map.of()));

		Health health = indicator(source, Duration.ofSeconds(5)).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("mode", "load-balancer");
	}

	@Test
	void healthShouldBeDownWithTheErrorWhenDiscoveryFails() {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.DNS, NodeRole.MASTER, 6379, Map.of()))
			.answerNext(new IllegalStateException("no DNS server answered"));

		Health health = indicator(source, Duration.ofSeconds(5)).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error")).asString().contains("no DNS server answered");
	}

	@Test
	void slowDiscoveryShouldAnswerWithinTheBoundFromTheLastKnownTopologyMarkedStale() {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.CLUSTER, NodeRole.MASTER, 7000, Map.of()));
		CompletableFuture<Void> gate = source.holdRefreshes();
		this.indicator = new RedisDiscoveryHealthIndicator(source, Duration.ofMillis(50));
		try {
			Health first = this.indicator.health(true);
			Health second = this.indicator.health(true);

			assertThat(first.getStatus()).isEqualTo(Status.UP);
			assertThat(first.getDetails()).containsEntry("stale", true)
				.containsEntry("error", "Discovery did not answer within PT0.05S");
			assertThat(second.getDetails()).containsEntry("stale", true);
			gate.complete(null);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Boolean.FALSE.equals(this.indicator.health(true).getDetails().get("stale")));
			// The second check joined the refresh still running; piled-up refreshes would have run one by one
			// before a later check could answer fresh.
			assertThat(source.refreshReasons()).hasSizeLessThanOrEqualTo(2);
		}
		finally {
			gate.complete(null);
		}
	}

	private RedisDiscoveryHealthIndicator indicator(FakeTopologySource source, Duration timeout) {
		this.indicator = new RedisDiscoveryHealthIndicator(source, timeout);
		return this.indicator;
	}

}
