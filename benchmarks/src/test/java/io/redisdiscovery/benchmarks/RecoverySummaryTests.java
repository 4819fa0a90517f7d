package io.redisdiscovery.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecoverySummary}.
 */
class RecoverySummaryTests {

	@Test
	void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleRuns() {
		RecoverySummary summary = only(runs(Variant.STARTER, 40L, 10L, 30L, 20L));
		assertThat(summary.medianMillis()).isEqualTo(25.0);
		assertThat(summary.maxMillis()).isEqualTo(40L);
		assertThat(summary.runsWithoutWrite()).isZero();
	}

	@Test
	void neverSortsLastAndMakesTheMaxNever() {
		RecoverySummary summary = only(runs(Variant.STARTER, null, 10L, 30L));
		assertThat(summary.medianMillis()).isEqualTo(30.0);
		assertThat(summary.maxMillis()).isNull();
		assertThat(summary.runsWithoutWrite()).isOne();
	}

	@Test
	void medianIsNeverWhenAMiddleRunIsNever() {
		assertThat(only(runs(Variant.STARTER, null, 10L, 30L, null)).medianMillis()).isNull();
	}

	@Test
	void totalsAddUpEveryRun() {
		RecoverySummary summary = only(runs(Variant.STARTER, 10L, 20L));
		assertThat(summary.errors()).isEqualTo(2);
		assertThat(summary.lostWrites()).isEqualTo(6);
	}

	@Test
	void starterRowCarriesTheRatioToBootTunedInTheSameRuns() {
		List<FailoverScorecard.Result> results = new ArrayList<>(runs(Variant.STARTER, 10L, 30L));
		results.addAll(runs(Variant.BOOT_DEFAULT, 1000L, 1000L));
		results.addAll(runs(Variant.BOOT_TUNED, 50L, 30L));
		List<RecoverySummary> summaries = RecoverySummary.of(results);
		assertThat(summaries).extracting(RecoverySummary::variant)
			.containsExactly(Variant.STARTER, Variant.BOOT_DEFAULT, Variant.BOOT_TUNED);
		assertThat(summaries.get(0).ratioToBootTuned(summaries)).isEqualTo(0.5);
		assertThat(summaries.get(2).ratioToBootTuned(summaries)).isNull();
	}

	@Test
	void noRatioWhenBootTunedNeverWrote() {
		List<FailoverScorecard.Result> results = new ArrayList<>(runs(Variant.STARTER, 10L));
		results.addAll(runs(Variant.BOOT_TUNED, (Long) null));
		List<RecoverySummary> summaries = RecoverySummary.of(results);
		assertThat(summaries.get(0).ratioToBootTuned(summaries)).isNull();
	}

	private static RecoverySummary only(List<FailoverScorecard.Result> results) {
		List<RecoverySummary> summaries = RecoverySummary.of(results);
		assertThat(summaries).hasSize(1);
		return summaries.get(0);
	}

	private static List<FailoverScorecard.Result> runs(Variant variant, @Nullable Long... firstWrites) {
		List<FailoverScorecard.Result> results = new ArrayList<>();
		for (int i = 0; i < firstWrites.length; i++) {
			results.add(new FailoverScorecard.Result("standalone-frozen", Api.TEMPLATE, i + 1, variant, firstWrites[i],
					firstWrites[i], 1, 0, 100, 1000, 3, 0, null));
		}
		return results;
	}

}
