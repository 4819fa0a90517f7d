package io.redisdiscovery.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Entry point: {@code scorecard [--api template,transaction,pipeline,reactive,pub/sub] [--runs N] [scenario ...]},
 * {@code overhead [--a-a] [operation ...]}, {@code memory} or {@code soak [mode ...] [--minutes N] [--fault-every S]}; prints a Markdown table and writes it, with
 * a JSON copy, under {@code benchmarks/results/}.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String command = (args.length > 0) ? args[0] : "scorecard";
		List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
		Report report = switch (command) {
			case "scorecard" -> Report.scorecard(new FailoverScorecard().run(rest));
			case "overhead" -> {
				OverheadBenchmark overhead = new OverheadBenchmark(rest);
				yield Report.overhead(overhead.run(), overhead.isAToA());
			}
			case "memory" -> Report.memory(new MemoryBenchmark().run());
			case "soak" -> SoakReport.render(new SoakRun(rest).run());
			default -> throw new IllegalArgumentException("Unknown benchmark '" + command
					+ "': use 'scorecard [--api ...] [--runs N] [scenario ...]', 'overhead [--a-a] [operation ...]', 'memory' or 'soak [mode ...] [--minutes N] [--fault-every S]'");
		};
		Path directory = Path.of(System.getProperty("benchmarks.results", "results"));
		Files.createDirectories(directory);
		Files.writeString(directory.resolve(command + ".md"), report.markdown());
		Files.writeString(directory.resolve(command + ".json"), report.json());
		System.out.println(report.markdown());
		System.exit(0);
	}

	/**
	 * A rendered benchmark result.
	 *
	 * @param markdown the table
	 * @param json the same data as JSON
	 */
	record Report(String markdown, String json) {

		/**
		 * One run: the per-run table; several: the recovery summary only (the per-run rows stay in the JSON, one
		 * line per run with its index).
		 */
		static Report scorecard(List<FailoverScorecard.Result> results) {
			boolean severalRuns = results.stream().anyMatch((r) -> r.run() > 1);
			String markdown = severalRuns ? recoverySummary(RecoverySummary.of(results)) : scorecardRuns(results);
			String json = results.stream()
				.map((r) -> String.format(Locale.ROOT,
						"{\"scenario\":\"%s\",\"api\":\"%s\",\"run\":%d,\"variant\":\"%s\",\"firstWriteAfterEventMillis\":%s,\"firstAcknowledgedWriteAfterEventMillis\":%s,\"errors\":%d,\"incrementErrors\":%d,\"longestStallMillis\":%d,\"acknowledgedWrites\":%d,\"lostWrites\":%d,\"duplicateIncrements\":%d,\"pacedShareInWindow\":%s}",
						r.scenario(), r.api().name(), r.run(), r.variant().name(), r.firstWriteAfterEventMillis(),
						r.firstAcknowledgedWriteAfterEventMillis(), r.errors(), r.incrementErrors(),
						r.longestStallMillis(), r.acknowledgedWrites(), r.lostWrites(), r.duplicateIncrements(),
						(r.pacedShare() != null) ? String.format(Locale.ROOT, "%.4f", r.pacedShare()) : "null"))
				.collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
			return new Report(markdown, json);
		}

		private static String scorecardRuns(List<FailoverScorecard.Result> results) {
			StringBuilder markdown = new StringBuilder(
					"| scenario | API | variant | first write after event, kept by the database (ms) | first acknowledged write after event (ms) | errors seen (SET/GET) | INCR errors (outcome unknown) | longest stall (ms) | acknowledged writes | lost acknowledged writes | duplicate INCRs | paced rate during the black hole |\n"
							+ "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (FailoverScorecard.Result r : results) {
				markdown.append(String.format("| %s | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %s |%n", r.scenario(),
						r.api().label(), r.variant().label(),
						never(r.firstWriteAfterEventMillis()), never(r.firstAcknowledgedWriteAfterEventMillis()),
						r.errors(), r.incrementErrors(), r.longestStallMillis(), r.acknowledgedWrites(), r.lostWrites(), r.duplicateIncrements(),
						percent(r.pacedShare())));
			}
			return markdown.toString();
		}

		private static String recoverySummary(List<RecoverySummary> summaries) {
			StringBuilder markdown = new StringBuilder(
					"| scenario | API | variant | runs | first write after event kept by the database, median (ms) | max (ms) | runs without a write after the event | errors seen (SET/GET), all runs | INCR errors (outcome unknown), all runs | lost acknowledged writes, all runs | duplicate INCRs, all runs | paced rate during the black hole, median (worst) | starter median / boot (tuned) median |\n"
							+ "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (RecoverySummary s : summaries) {
				Double ratio = s.ratioToBootTuned(summaries);
				markdown.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %d | %d | %d | %d | %d | %s | %s |%n",
						s.scenario(), s.api().label(), s.variant().label(), s.runs(),
						(s.medianMillis() != null) ? String.format(Locale.ROOT, "%.0f", s.medianMillis()) : "never",
						(s.maxMillis() != null) ? s.maxMillis() : "never", s.runsWithoutWrite(), s.errors(),
						s.incrementErrors(), s.lostWrites(), s.duplicateIncrements(),
						(s.medianPacedShare() != null) ? percent(s.medianPacedShare()) + " (" + percent(s.minPacedShare()) + ")" : "",
						(ratio != null) ? String.format(Locale.ROOT, "%.2f", ratio) : ""));
			}
			return markdown.toString();
		}

		private static Object never(@Nullable Long millis) {
			return (millis != null) ? millis : "never";
		}

		private static String percent(@Nullable Double share) {
			return (share != null) ? String.format(Locale.ROOT, "%.0f %%", share * 100) : "";
		}

		static Report memory(List<MemoryBenchmark.Result> results) {
			StringBuilder markdown = new StringBuilder(
					"| variant | heap per context (KiB) | heap per connection handle (bytes) |\n|---|---:|---:|\n");
			for (MemoryBenchmark.Result r : results) {
				markdown.append(String.format("| %s | %d | %d |%n", r.variant().label(), r.bytesPerContext() / 1024,
						r.bytesPerConnectionHandle()));
			}
			String json = results.stream()
				.map((r) -> String.format("{\"variant\":\"%s\",\"bytesPerContext\":%d,\"bytesPerConnectionHandle\":%d}",
						r.variant().name(), r.bytesPerContext(), r.bytesPerConnectionHandle()))
				.collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
			return new Report(markdown.toString(), json);
		}

		static Report overhead(List<OverheadBenchmark.Result> results, boolean aToA) {
			StringBuilder markdown = new StringBuilder(aToA
					? "A/A: the \"starter\" columns are a second Spring Boot context, not the starter.\n\n" : "");
			markdown.append(
					"| operation | boot ops/s | starter ops/s | throughput ratio (median of rounds) | round ratios (min–max) | boot p50 (µs) | starter p50 (µs) | boot p99 (µs) | starter p99 (µs) | p99 ratio |\n"
							+ "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (OverheadBenchmark.Result r : results) {
				markdown.append(String.format("| %s | %.0f | %.0f | %.3f | %.3f–%.3f | %d | %d | %d | %d | %.3f |%n",
						r.operation(), r.boot().opsPerSecond(), r.starter().opsPerSecond(), r.throughputRatio(),
						r.lowestRoundRatio(), r.highestRoundRatio(), r.boot().p50Micros(), r.starter().p50Micros(),
						r.boot().p99Micros(), r.starter().p99Micros(), r.p99Ratio()));
			}
			String json = results.stream()
				.map((r) -> String.format(
						"{\"operation\":\"%s\",\"bootOpsPerSecond\":%.1f,\"starterOpsPerSecond\":%.1f,\"throughputRatio\":%.4f,\"roundRatios\":%s,\"bootP50Micros\":%d,\"starterP50Micros\":%d,\"bootP99Micros\":%d,\"starterP99Micros\":%d,\"p99Ratio\":%.4f}",
						r.operation(), r.boot().opsPerSecond(), r.starter().opsPerSecond(), r.throughputRatio(),
						r.roundRatios().stream().map((ratio) -> String.format("%.4f", ratio)).collect(Collectors.joining(",", "[", "]")),
						r.boot().p50Micros(), r.starter().p50Micros(), r.boot().p99Micros(), r.starter().p99Micros(),
						r.p99Ratio()))
				.collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
			return new Report(markdown.toString(), json);
		}

	}

}
