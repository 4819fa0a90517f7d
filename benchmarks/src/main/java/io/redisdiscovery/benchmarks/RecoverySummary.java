package io.redisdiscovery.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What one variant saw in one scenario and API over several runs: how soon the first write succeeded after the event
 * (median and worst run) and what went wrong in all runs together.
 * <p>
 * A run without a write after the event counts as "never", sorted after every time: the max is then "never", and the
 * median (the middle run, or the mean of the two middle runs for an even count) is "never" when a middle run is.
 *
 * @param scenario the scenario
 * @param api the API the writes went through
 * @param variant the variant
 * @param runs how many runs
 * @param medianMillis the median time from the event to the first write, {@code null} for "never"
 * @param maxMillis the worst run's time, {@code null} for "never"
 * @param runsWithoutWrite runs in which no write succeeded after the event
 * @param errors errors on SET/GET, all runs
 * @param incrementErrors INCRs with an unknown outcome, all runs
 * @param lostWrites lost acknowledged writes, all runs
 * @param duplicateIncrements INCRs applied twice, all runs
 * @param medianPacedShare the median share of the paced rate in the scenario's window, {@code null} without one
 * @param minPacedShare the worst run's share, {@code null} without a window
 */
record RecoverySummary(String scenario, Api api, Variant variant, int runs, @Nullable Double medianMillis,
		@Nullable Long maxMillis, int runsWithoutWrite, long errors, long incrementErrors, long lostWrites,
		long duplicateIncrements, @Nullable Double medianPacedShare, @Nullable Double minPacedShare) {

	/**
	 * Summarizes runs by scenario, API and variant, in the order they first appear.
	 * @param results every run's results
	 * @return one summary per scenario, API and variant
	 */
	static List<RecoverySummary> of(List<FailoverScorecard.Result> results) {
		Map<List<Object>, List<FailoverScorecard.Result>> groups = new LinkedHashMap<>();
		for (FailoverScorecard.Result result : results) {
			groups.computeIfAbsent(List.of(result.scenario(), result.api(), result.variant()), (key) -> new ArrayList<>())
				.add(result);
		}
		return groups.values().stream().map(RecoverySummary::ofRuns).toList();
	}

	private static RecoverySummary ofRuns(List<FailoverScorecard.Result> runs) {
		FailoverScorecard.Result first = runs.get(0);
		// null ("never") sorts last.
		List<@Nullable Long> times = new ArrayList<>(
				runs.stream().map(FailoverScorecard.Result::firstWriteAfterEventMillis).toList());
		times.sort(Comparator.nullsLast(Comparator.naturalOrder()));
		List<Double> shares = runs.stream()
			.map(FailoverScorecard.Result::pacedShare)
			.filter(Objects::nonNull)
			.map(Objects::requireNonNull)
			.sorted()
			.toList();
		return new RecoverySummary(first.scenario(), first.api(), first.variant(), runs.size(), median(times),
				times.get(times.size() - 1), (int) times.stream().filter(Objects::isNull).count(),
				runs.stream().mapToLong(FailoverScorecard.Result::errors).sum(),
				runs.stream().mapToLong(FailoverScorecard.Result::incrementErrors).sum(),
				runs.stream().mapToLong(FailoverScorecard.Result::lostWrites).sum(),
				runs.stream().mapToLong(FailoverScorecard.Result::duplicateIncrements).sum(),
				shares.isEmpty() ? null : medianOf(shares), shares.isEmpty() ? null : shares.get(0));
	}

	private static @Nullable Double median(List<@Nullable Long> sorted) {
		Long lower = sorted.get((sorted.size() - 1) / 2);
		Long upper = sorted.get(sorted.size() / 2);
		return (lower != null && upper != null) ? (lower + upper) / 2.0 : null;
	}

	private static double medianOf(List<Double> sorted) {
		return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
	}

	/**
	 * The starter's median over Spring Boot's (tuned) median in the same runs, on the starter's row.
	 * @param summaries every summary of the report
	 * @return the ratio, or {@code null} on other rows, or when either median is "never" or Boot's is 0
	 */
	@Nullable Double ratioToBootTuned(List<RecoverySummary> summaries) {
		if (this.variant != Variant.STARTER || this.medianMillis == null) {
			return null;
		}
		return summaries.stream()
			.filter((other) -> other.variant == Variant.BOOT_TUNED && other.scenario.equals(this.scenario)
					&& other.api == this.api)
			.map(RecoverySummary::medianMillis)
			.filter((boot) -> boot != null && boot > 0)
			.map((boot) -> this.medianMillis / boot)
			.findFirst()
			.orElse(null);
	}

}
