package io.redisdiscovery.sentinel;

import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelEventTests {

	@Test
	void parseShouldReadNewMasterOfSwitchMaster() {
		SentinelEvent event = SentinelEvent.parse("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.2 6380");
		assertThat(event).isEqualTo(
				new SentinelEvent(SentinelEvent.Kind.SWITCH_MASTER, "+switch-master", "mymaster",
						new RedisNode("127.0.0.1", 6379), new RedisNode("127.0.0.2", 6380)));
	}

	@Test
	void parseShouldReadMasterNameOfMasterInstanceEvents() {
		assertThat(SentinelEvent.parse("+try-failover", "master mymaster 127.0.0.1 6379"))
			.isEqualTo(new SentinelEvent(SentinelEvent.Kind.FAILOVER_STARTED, "+try-failover", "mymaster",
					new RedisNode("127.0.0.1", 6379), null));
		assertThat(SentinelEvent.parse("+failover-state-send-slaveof-noone",
				"slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379"))
			.extracting(SentinelEvent::masterName)
			.isEqualTo("mymaster");
	}

	@Test
	void parseShouldReadMasterNameAfterAtSignOfReplicaInstanceEvents() {
		assertThat(SentinelEvent.parse("+selected-slave", "slave 127.0.0.1:6380 127.0.0.1 6380 @ orders 127.0.0.1 6379"))
			.isEqualTo(new SentinelEvent(SentinelEvent.Kind.FAILOVER_STARTED, "+selected-slave", "orders",
					new RedisNode("127.0.0.1", 6379), null));
	}

	@Test
	void parseShouldReadThePromotedReplicaAsTheNewMaster() {
		assertThat(SentinelEvent.parse("+promoted-slave", "slave 127.0.0.1:6380 127.0.0.1 6380 @ orders 127.0.0.1 6379"))
			.isEqualTo(new SentinelEvent(SentinelEvent.Kind.REPLICA_PROMOTED, "+promoted-slave", "orders",
					new RedisNode("127.0.0.1", 6379), new RedisNode("127.0.0.1", 6380)));
		assertThat(SentinelEvent.parse("+promoted-slave", "master orders 127.0.0.1 6379")).isNull();
	}

	@Test
	void parseShouldTellEndAndAbortApart() {
		assertThat(SentinelEvent.parse("+failover-end", "master m 127.0.0.1 6379").kind())
			.isEqualTo(SentinelEvent.Kind.FAILOVER_ENDED);
		assertThat(SentinelEvent.parse("-failover-abort-not-elected", "master m 127.0.0.1 6379").kind())
			.isEqualTo(SentinelEvent.Kind.FAILOVER_ABORTED);
		assertThat(SentinelEvent.parse("+failover-end-for-timeout", "master m 127.0.0.1 6379").kind())
			.isEqualTo(SentinelEvent.Kind.FAILOVER_ABORTED);
	}

	@Test
	void parseShouldIgnoreMalformedAndUnknownMessages() {
		assertThat(SentinelEvent.parse("+switch-master", "mymaster 127.0.0.1")).isNull();
		assertThat(SentinelEvent.parse("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.2 notaport")).isNull();
		assertThat(SentinelEvent.parse("+sdown", "master mymaster 127.0.0.1 6379")).isNull();
		assertThat(SentinelEvent.parse("+try-failover", "")).isNull();
	}

	@Test
	void everyChannelShouldBeAPlainChannelName() {
		// A glob character would make it a pattern, which needs PSUBSCRIBE (the discovery service refuses it).
		assertThat(SentinelEvent.CHANNELS).isNotEmpty().noneMatch((channel) -> channel.matches(".*[*?\\[\\]].*"));
	}

}
