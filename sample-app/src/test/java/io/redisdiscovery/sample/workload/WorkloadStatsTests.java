package io.redisdiscovery.sample.workload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkloadStats}.
 */
class WorkloadStatsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final WorkloadStats stats = new WorkloadStats(this.clock);

	@Test
	void secondInProgressIsNotReported() {
		this.stats.recordSuccess(1_000_000);
		assertThat(this.stats.seconds()).isEmpty();
	}

	@Test
	void completedSecondHasCountsAndPercentiles() {
		for (int i = 1; i <= 100; i++) {
			this.stats.recordSuccess(i * 1_000_000L);
		}
		this.stats.recordError("INCR", new IllegalStateException("boom"));
		this.clock.advance(Duration.ofSeconds(1));
		List<WorkloadSecond> seconds = this.stats.seconds();
		assertThat(seconds).containsExactly(new WorkloadSecond(1767225600L, 100, 1, 50.0, 99.0, 100.0));
		assertThat(this.stats.recentErrors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).isEqualTo("IllegalStateException: boom"));
		assertThat(this.stats.totalOperations()).isEqualTo(100);
		assertThat(this.stats.totalErrors()).isEqualTo(1);
	}

	@Test
	void idleSecondsAreReportedAsZeroAndHistoryIsBounded() {
		this.stats.recordSuccess(1_000);
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.stats.seconds()).extracting(WorkloadSecond::operations).containsExactly(1L, 0L, 0L);
		this.clock.advance(Duration.ofHours(1));
		assertThat(this.stats.seconds()).hasSize(WorkloadStats.HISTORY_SECONDS);
	}

	private static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
