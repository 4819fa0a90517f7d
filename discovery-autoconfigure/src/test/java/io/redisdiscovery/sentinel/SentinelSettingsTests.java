package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelSettingsTests {

	private final SentinelSettings settings = new SentinelSettings("My_Master", List.of(new RedisNode("s", 26379)),
			true, Duration.ofSeconds(5), Duration.ofSeconds(2));

	@Test
	void logicalHostsShouldNeverResolveInDns() {
		assertThat(this.settings.logicalMasterHost()).isEqualTo("my-master.sentinel-master.invalid");
		assertThat(SentinelSettings.logicalReplicaHost("My_Master", 2))
			.isEqualTo("replica-2.my-master.sentinel-master.invalid");
	}

	@Test
	void replicaSlotOfShouldReadTheSlotOfReplicaHostsOnly() {
		assertThat(this.settings.replicaSlotOf(SentinelSettings.logicalReplicaHost("My_Master", 3))).isEqualTo(3);
		assertThat(this.settings.replicaSlotOf(this.settings.logicalMasterHost())).isEqualTo(-1);
		assertThat(this.settings.replicaSlotOf("replica-x.my-master.sentinel-master.invalid")).isEqualTo(-1);
	}

	@Test
	void replicaShouldBeHealthyOnlyWhenNotDownAndLinkOk() {
		assertThat(SentinelTopologySource.isHealthy("slave", "ok")).isTrue();
		assertThat(SentinelTopologySource.isHealthy("slave,s_down", "ok")).isFalse();
		assertThat(SentinelTopologySource.isHealthy("slave,disconnected", "ok")).isFalse();
		assertThat(SentinelTopologySource.isHealthy("slave", "err")).isFalse();
	}

	@Test
	void roleFromInfoShouldReadTheRoleLine() {
		assertThat(SentinelClient.roleFromInfo("# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"))
			.isEqualTo(io.redisdiscovery.topology.NodeRole.MASTER);
		assertThat(SentinelClient.roleFromInfo("# Replication\r\nrole:slave\r\n"))
			.isEqualTo(io.redisdiscovery.topology.NodeRole.REPLICA);
	}

}
