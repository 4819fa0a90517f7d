package io.redisdiscovery.lab;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LabCertificates} and TLS nodes: clients and peers are given TLS ports, the lab keeps a plain one.
 */
@ExtendWith(RedisLabExtension.class)
class LabTlsTests {

	@TempDir
	static Path certificates;

	@Test
	void tlsServerRefusesPlainRespOnItsTlsPort(RedisLab lab) {
		LabTls tls = LabCertificates.createAuthority(certificates.resolve("standalone"), "standalone")
			.issueForLoopback("server");
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withTls(tls));
		assertThat(server.isTls()).isTrue();
		assertThat(server.announcedPort()).isEqualTo(server.tlsPort()).isNotEqualTo(server.port());
		assertThat(server.command("PING")).isEqualTo("PONG");
		assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> RespClient
			.call(new InetSocketAddress(server.host(), server.tlsPort()), Duration.ofSeconds(2), "PING"));
	}

	@Test
	void tlsSentinelGroupReplicatesAndReportsTlsPorts(RedisLab lab) {
		LabTls tls = LabCertificates.createAuthority(certificates.resolve("sentinel"), "sentinel")
			.issueForLoopback("nodes");
		try (SentinelGroup group = lab.startSentinelGroup("tls", 1, SentinelGroupOptions.defaults().withTls(tls))) {
			RedisServer master = group.master();
			assertThat(master).isSameAs(group.dataNodes().get(0));
			assertThat(group.sentinelAddresses())
				.allSatisfy((address) -> assertThat(group.sentinels().stream()
					.anyMatch((sentinel) -> address.equals(sentinel.host() + ":" + sentinel.tlsPort()))).isTrue());
			assertThat(group.replicas().get(0).infoValue("replication", "master_port"))
				.isEqualTo(String.valueOf(master.tlsPort()));
			group.failover();
			RedisServer promoted = group.awaitNewMaster(master, Duration.ofSeconds(30));
			assertThat(promoted).isSameAs(group.dataNodes().get(1));
		}
	}

	@Test
	void tlsClusterUsesTlsForItsBusAndReplication(RedisLab lab) {
		LabTls tls = LabCertificates.createAuthority(certificates.resolve("cluster"), "cluster")
			.issueForLoopback("cluster-nodes");
		try (RedisClusterLab cluster = lab.startCluster(3, 1, RedisClusterOptions.defaults().withTls(tls))) {
			assertThat(cluster.seedAddresses()).allSatisfy((address) -> assertThat(cluster.nodes().stream()
				.anyMatch((node) -> address.equals(node.host() + ":" + node.tlsPort()))).isTrue());
			RedisServer master = cluster.masters().get(0);
			RedisServer replica = cluster.replicasOf(master).get(0);
			assertThat(replica.infoValue("replication", "master_port")).isEqualTo(String.valueOf(master.tlsPort()));
			cluster.manualFailover(replica);
			assertThat(cluster.masterForSlot(0)).isSameAs(replica);
		}
	}

}
