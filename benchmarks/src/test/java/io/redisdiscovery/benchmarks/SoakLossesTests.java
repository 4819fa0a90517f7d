package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SoakLosses}.
 */
class SoakLossesTests {

	private static final long KILLED_AT = Duration.ofSeconds(100).toNanos();

	private static final MasterKill KILL_OF_A = MasterKill.of("a", KILLED_AT, Duration.ofMillis(5),
			(key) -> key.startsWith("a:"));

	@Test
	void writeToTheKilledMasterJustBeforeTheKillIsTheServers() {
		assertThat(SoakLosses.classify(Map.of("a:1", KILLED_AT - millis(300)), List.of(KILL_OF_A)))
			.isEqualTo(new SoakLosses(1, 0));
	}

	@Test
	void writeStartedBeforeTheWindowIsTheClients() {
		assertThat(SoakLosses.classify(Map.of("a:1", KILLED_AT - millis(1001)), List.of(KILL_OF_A)))
			.isEqualTo(new SoakLosses(0, 1));
	}

	@Test
	void writeStartedAfterTheKillIsTheClients() {
		assertThat(SoakLosses.classify(Map.of("a:1", KILLED_AT + 1), List.of(KILL_OF_A)))
			.isEqualTo(new SoakLosses(0, 1));
	}

	@Test
	void writeToAnotherMasterIsTheClients() {
		assertThat(SoakLosses.classify(Map.of("b:1", KILLED_AT - millis(10)), List.of(KILL_OF_A)))
			.isEqualTo(new SoakLosses(0, 1));
	}

	@Test
	void withoutKillEveryLossIsTheClients() {
		assertThat(SoakLosses.classify(Map.of("a:1", KILLED_AT - millis(10), "a:2", KILLED_AT - millis(20)),
				List.of()))
			.isEqualTo(new SoakLosses(0, 2));
	}

	@Test
	void windowIsOneSecondOrTwiceTheMeasuredLag() {
		assertThat(MasterKill.of("a", KILLED_AT, Duration.ofMillis(5), (key) -> true).window())
			.isEqualTo(Duration.ofSeconds(1));
		MasterKill slowReplicas = MasterKill.of("a", KILLED_AT, Duration.ofMillis(800), (key) -> true);
		assertThat(slowReplicas.window()).isEqualTo(Duration.ofMillis(1600));
		assertThat(SoakLosses.classify(Map.of("a:1", KILLED_AT - millis(1500)), List.of(slowReplicas)))
			.isEqualTo(new SoakLosses(1, 0));
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
