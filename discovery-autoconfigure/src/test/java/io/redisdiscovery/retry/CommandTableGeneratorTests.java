package io.redisdiscovery.retry;

import java.util.List;
import java.util.Set;

import io.redisdiscovery.retry.CommandTableGenerator.KeySpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule on command metadata shaped like Redis 7's, one key-specification pattern at a time.
 */
class CommandTableGeneratorTests {

	private static final Set<String> WRITE = Set.of("write", "denyoom");

	@Test
	void readonlyCommandShouldBeASafeRead() {
		assertThat(facts(Set.of("readonly", "fast"), List.of(), spec("index:1", "ro", "access")))
			.isEqualTo("read\tsafe\t-");
	}

	@Test
	void blindOverwriteShouldBeASafeWrite() {
		// MSET, SETEX
		assertThat(facts(WRITE, List.of(), spec("index:1", "ow", "update"))).isEqualTo("write\tsafe\t-");
	}

	@Test
	void overwriteFromReadKeysShouldBeSafeUnlessTheDestinationIsRead() {
		// SUNIONSTORE, BITOP
		assertThat(facts(WRITE, List.of(), spec("index:1", "ow", "update"), spec("index:2", "ro", "access")))
			.isEqualTo("write\tsafe-unless-destination-is-read\tindex:1");
	}

	@Test
	void writesWhoseReplyOrDataDependOnTheDataShouldBeUnsafe() {
		// SADD, PFADD: RW INSERT; HSET, XACK: RW UPDATE; DEL: RM DELETE; SETNX: OW INSERT; GETSET: RW ACCESS
		assertThat(facts(WRITE, List.of(), spec("index:1", "rw", "insert"))).startsWith("write\tunsafe");
		assertThat(facts(WRITE, List.of(), spec("index:1", "rw", "update"))).startsWith("write\tunsafe");
		assertThat(facts(Set.of("write"), List.of(), spec("index:1", "rm", "delete"))).startsWith("write\tunsafe");
		assertThat(facts(WRITE, List.of(), spec("index:1", "ow", "insert"))).startsWith("write\tunsafe");
		assertThat(facts(WRITE, List.of(), spec("index:1", "ow", "access", "update"))).startsWith("write\tunsafe");
	}

	@Test
	void keylessNondeterministicAndBlockingWritesShouldBeUnsafe() {
		// FLUSHALL, PUBLISH; a write with nondeterministic output; XREADGROUP
		assertThat(facts(Set.of("write"), List.of())).startsWith("write\tunsafe");
		assertThat(facts(Set.of("pubsub", "fast"), List.of())).startsWith("write\tunsafe");
		assertThat(facts(WRITE, List.of("nondeterministic_output"), spec("index:1", "ow", "update")))
			.startsWith("write\tunsafe");
		assertThat(facts(Set.of("write", "blocking"), List.of(), spec("index:1", "ow", "update")))
			.startsWith("write\tunsafe");
	}

	private static String facts(Set<String> flags, List<String> tips, KeySpec... specs) {
		return CommandTableGenerator.facts(flags, tips, List.of(specs));
	}

	private static KeySpec spec(String beginSearch, String... flags) {
		return new KeySpec(Set.of(flags), beginSearch);
	}

}
