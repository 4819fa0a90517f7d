package io.redisdiscovery.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterNodesTable}.
 */
class ClusterNodesTableTests {

	// Redis 7 format (",hostname" after the bus port) with a migrating slot marker.
	private static final String REDIS_7 = """
			aaa 127.0.0.1:30001@40001,host-a myself,master - 0 0 1 connected 0-5460 [5461->-bbb]
			bbb 127.0.0.1:30002@40002,host-b master - 0 1 2 connected 5461-10922
			ccc 127.0.0.1:30003@40003, master,fail - 0 1 3 disconnected 10923-16383
			ddd 127.0.0.21:25000@40004 slave aaa 0 1 1 connected
			""";

	// Redis 6.2 format with single slots.
	private static final String REDIS_6 = """
			aaa 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-100 200 300-16383
			bbb 127.0.0.1:30002@40002 master - 0 1 2 connected 101-199 201-299
			""";

	@Test
	void parsesRedis7LinesWithHostnamesAndMigrations() {
		ClusterNodesTable table = ClusterNodesTable.parse(REDIS_7);

		assertThat(table.entries()).hasSize(4);
		assertThat(table.myself().id()).isEqualTo("aaa");
		assertThat(table.ownerOf(5461).id()).isEqualTo("bbb");
		assertThat(table.byId("ccc").isFailing()).isTrue();
		ClusterNodesTable.Entry replica = table.byId("ddd");
		assertThat(replica.host()).isEqualTo("127.0.0.21");
		assertThat(replica.port()).isEqualTo(25000);
		assertThat(replica.isReplicaOf("aaa")).isTrue();
		assertThat(table.slotOwners()).containsEntry(0, "5460 aaa").hasSize(3);
	}

	@Test
	void parsesRedis6LinesWithSingleSlots() {
		ClusterNodesTable table = ClusterNodesTable.parse(REDIS_6);

		assertThat(table.ownerOf(200).id()).isEqualTo("aaa");
		assertThat(table.ownerOf(201).id()).isEqualTo("bbb");
		assertThat(table.byId("aaa").slotCount() + table.byId("bbb").slotCount()).isEqualTo(RedisClusterLab.SLOTS);
	}

}
