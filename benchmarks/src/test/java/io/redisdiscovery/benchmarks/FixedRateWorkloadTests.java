package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FixedRateWorkload#firstAfter}.
 */
class FixedRateWorkloadTests {

	private static final List<FixedRateWorkload.Success> SUCCESSES = List.of(
			new FixedRateWorkload.Success("before", 90, 105), new FixedRateWorkload.Success("discarded", 100, 104),
			new FixedRateWorkload.Success("kept", 101, 112));

	@Test
	void firstWriteStartedAfterTheEventCounts() {
		assertThat(FixedRateWorkload.firstAfter(SUCCESSES, 100, (key) -> true)).isEqualTo(Duration.ofNanos(4));
	}

	@Test
	void aWriteTheDatabaseDidNotKeepDoesNotCount() {
		assertThat(FixedRateWorkload.firstAfter(SUCCESSES, 100, (key) -> !key.equals("discarded")))
			.isEqualTo(Duration.ofNanos(12));
	}

	@Test
	void noEventMeansNoTime() {
		assertThat(FixedRateWorkload.firstAfter(SUCCESSES, 0, (key) -> true)).isNull();
	}

}
