package io.redisdiscovery.actuate;

import java.util.Map;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.test.FakeTopologySource;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.TopologyChangeLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's logic against a source whose answers the test decides; the endpoint over HTTP against real servers is
 * covered by the actuator integration tests.
 */
class RedisTopologyEndpointTests {

	private final FakeTopologySource source = new FakeTopologySource(
			FakeTopologySource.topology(DiscoveryMode.SENTINEL, NodeRole.MASTER, 6380, Map.of("master", "orders")));

	private final TopologyChangeLog changes = new TopologyChangeLog(10);

	@Test
	void readShouldDescribeTheLastKnownTopologyWithoutAskingTheDeployment() {
		RedisTopologyEndpoint endpoint = new RedisTopologyEndpoint(this.source, this.changes, null);

		RedisTopologyDescriptor descriptor = endpoint.topology();

		assertThat(descriptor.mode()).isEqualTo("sentinel");
		assertThat(descriptor.endpoints()).singleElement()
			.satisfies((endpoint1) -> assertThat(endpoint1.address()).isEqualTo("127.0.0.1:6380"));
		assertThat(descriptor.details()).containsEntry("master", "orders");
		assertThat(descriptor.writable()).isTrue();
		assertThat(descriptor.retry()).isNull();
		assertThat(this.source.refreshReasons()).isEmpty();
	}

	@Test
	void writeShouldRediscoverAndListTheChangeItCaused() {
		this.source.addListener(this.changes);
		this.source.answerNext(FakeTopologySource.topology(DiscoveryMode.SENTINEL, NodeRole.MASTER, 6381,
				Map.of("master", "orders")));
		RedisTopologyEndpoint endpoint = new RedisTopologyEndpoint(this.source, this.changes, Retry.ofDefaults("redis"));

		RedisTopologyDescriptor descriptor = endpoint.rediscover();

		assertThat(this.source.refreshReasons()).containsExactly("requested through the redis-topology endpoint");
		assertThat(descriptor.endpoints()).singleElement()
			.satisfies((endpoint1) -> assertThat(endpoint1.address()).isEqualTo("127.0.0.1:6381"));
		assertThat(descriptor.totalEvents()).isEqualTo(1);
		assertThat(descriptor.events()).singleElement().satisfies((event) -> {
			assertThat(event.before()).singleElement()
				.satisfies((before) -> assertThat(before.address()).isEqualTo("127.0.0.1:6380"));
			assertThat(event.after()).singleElement()
				.satisfies((after) -> assertThat(after.address()).isEqualTo("127.0.0.1:6381"));
		});
		assertThat(descriptor.retry()).isNotNull();
		assertThat(descriptor.retry().name()).isEqualTo("redis");
	}

}
