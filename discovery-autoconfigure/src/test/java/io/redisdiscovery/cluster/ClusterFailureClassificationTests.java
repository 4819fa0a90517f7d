package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.util.Map;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.UnknownPartitionException;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.RedisFailureClassifier;
import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterFailureClassificationTests {

	@Test
	void slotWithoutMasterShouldBeNotSent() {
		RedisSystemException failure = new RedisSystemException("Redis exception",
				new PartitionSelectorException("Cannot determine a partition for slot 42.", new Partitions()));
		assertThat(RedisFailureClassifier.classify(failure)).isEqualTo(FailureKind.NOT_SENT);
	}

	@Test
	void redirectionToUnknownNodeShouldBeNotSent() {
		assertThat(RedisFailureClassifier.classify(new UnknownPartitionException(
				"Connection to 127.0.0.1:7005 not allowed. This partition is not known in the cluster view.")))
			.isEqualTo(FailureKind.NOT_SENT);
	}

	@Test
	void exhaustedRedirectionsShouldBeRejectedByServer() {
		assertThat(RedisFailureClassifier.classify(new RedisCommandExecutionException("MOVED 42 127.0.0.1:7001")))
			.isEqualTo(FailureKind.REJECTED_BY_SERVER);
		assertThat(RedisFailureClassifier.classify(new RedisCommandExecutionException("ASK 42 127.0.0.1:7001")))
			.isEqualTo(FailureKind.REJECTED_BY_SERVER);
	}

	@Test
	void addressMapShouldMapOnlyAnnouncedAddresses() throws Exception {
		ClusterAddressMap map = new ClusterAddressMap(
				Map.of(RedisNode.parse("10.0.0.5:6379"), RedisNode.parse("127.0.0.1:16379")));
		assertThat(map.map(RedisNode.parse("10.0.0.5:6379"))).isEqualTo(RedisNode.parse("127.0.0.1:16379"));
		assertThat(map.map(RedisNode.parse("10.0.0.6:6379"))).isEqualTo(RedisNode.parse("10.0.0.6:6379"));
		InetSocketAddress resolved = (InetSocketAddress) map.resolver()
			.resolve(io.lettuce.core.RedisURI.create("redis://10.0.0.5:6379"));
		// Dialled at the mapped address; named (for TLS SNI and host-name verification) as the node announces itself.
		assertThat(resolved.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(resolved.getPort()).isEqualTo(16379);
		assertThat(resolved.getHostString()).isEqualTo("10.0.0.5");
		assertThat(ClusterAddressMap.NONE.resolver()).isNull();
	}

}
