package io.redisdiscovery.autoconfigure;

import java.util.List;

import io.redisdiscovery.topology.DiscoveryMode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ConnectionDetailsMapper}.
 */
class ConnectionDetailsMapperTests {

	private final RedisDiscoveryProperties target = new RedisDiscoveryProperties();

	@Test
	void applyWhenStandaloneShouldSetHostPortDatabaseAndPassword() {
		DiscoveryMode mode = ConnectionDetailsMapper.apply(
				TestConnectionDetails.standalone("redis.internal", 6380, 4, "pw-secret"), this.target, "test");
		assertThat(mode).isEqualTo(DiscoveryMode.STANDALONE);
		assertThat(this.target.getMode()).isEqualTo(DiscoveryMode.STANDALONE);
		assertThat(this.target.getStandalone().getHost()).isEqualTo("redis.internal");
		assertThat(this.target.getStandalone().getPort()).isEqualTo(6380);
		assertThat(this.target.getDatabase()).isEqualTo(4);
		assertThat(this.target.getPassword()).isEqualTo("pw-secret");
	}

	@Test
	void applyWhenSentinelShouldSetMasterNodesAndBothPasswords() {
		DiscoveryMode mode = ConnectionDetailsMapper.apply(TestConnectionDetails.sentinel("mymaster",
				List.of("s1:26379", "s2:26380"), "data-pw", "sentinel-pw"), this.target, "test");
		assertThat(mode).isEqualTo(DiscoveryMode.SENTINEL);
		assertThat(this.target.getSentinel().getMaster()).isEqualTo("mymaster");
		assertThat(this.target.getSentinel().getNodes()).containsExactly("s1:26379", "s2:26380");
		assertThat(this.target.getSentinel().getPassword()).isEqualTo("sentinel-pw");
		assertThat(this.target.getPassword()).isEqualTo("data-pw");
	}

	@Test
	void applyWhenClusterShouldSetSeedNodesWithIpv6InBrackets() {
		DiscoveryMode mode = ConnectionDetailsMapper.apply(TestConnectionDetails.cluster(List.of("r1:7000", "::1:7001")),
				this.target, "test");
		assertThat(mode).isEqualTo(DiscoveryMode.CLUSTER);
		assertThat(this.target.getCluster().getNodes()).containsExactly("r1:7000", "[::1]:7001");
	}

	@Test
	void applyWhenSentinelAndStandaloneShouldPreferSentinelAsSpringBootDoes() {
		// Spring Boot's properties-backed details always answer a standalone endpoint, even beside a Sentinel one.
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("localhost", 6379);
			}

			@Override
			public Cluster getCluster() {
				return () -> List.of(new Node("r1", 7000));
			}

		};
		assertThat(ConnectionDetailsMapper.apply(details, this.target, "test")).isEqualTo(DiscoveryMode.CLUSTER);
	}

	@Test
	void applyWhenMasterReplicaShouldFailNamingTheSourceAndTheAlternatives() {
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public MasterReplica getMasterReplica() {
				return () -> List.of(new Node("r1", 6379));
			}

		};
		assertThatExceptionOfType(InvalidDiscoveryPropertyException.class)
			.isThrownBy(() -> ConnectionDetailsMapper.apply(details, this.target, "connection details X"))
			.withMessageContaining("connection details X describes a static master/replica setup")
			.satisfies((ex) -> assertThat(ex.getFix()).contains("redis.discovery.sentinel.*"));
	}

	@Test
	void describeShouldNameTheEndpointButNoSecret() {
		DiscoveryMode mode = ConnectionDetailsMapper.apply(TestConnectionDetails.sentinel("mymaster",
				List.of("s1:26379"), "data-pw", "sentinel-pw"), this.target, "test");
		assertThat(ConnectionDetailsMapper.describe(mode, this.target))
			.isEqualTo("sentinel mode, master 'mymaster' via s1:26379, with a password")
			.doesNotContain("data-pw")
			.doesNotContain("sentinel-pw");
	}

}
