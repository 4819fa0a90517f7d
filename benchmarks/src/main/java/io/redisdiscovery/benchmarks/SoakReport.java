package io.redisdiscovery.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link SoakRun.Report} as a Markdown table and JSON.
 */
final class SoakReport {

	private static final double MIB = 1024 * 1024;

	private SoakReport() {
	}

	static Benchmarks.Report render(SoakRun.Report report) {
		StringBuilder markdown = new StringBuilder(String.format(
				"%s, %s, a fault every %d s per mode, all modes at once%n%n", report.variant().label(),
				(report.duration().toSecondsPart() == 0) ? report.duration().toMinutes() + " min"
						: report.duration().toSeconds() + " s",
				report.faultEvery().toSeconds()));
		markdown.append("| mode | faults | operations | errors (SET/GET, reads) | INCR errors (outcome unknown) "
				+ "| acknowledged writes | lost: server replication | lost: client | duplicate INCRs | lost INCRs "
				+ "| client connections start / end |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (SoakRun.Result r : report.modes()) {
			markdown.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d / %d |%n", r.mode(),
					r.faultCount(), r.operations(), r.errors(), r.incrementErrors(), r.acknowledgedWrites(),
					r.lostWritesServer(), r.lostWritesClient(), r.duplicateIncrements(), r.lostIncrements(),
					r.connectionsAtStart(), r.connectionsAtEnd()));
		}
		markdown.append(String.format("%nJVM (whole process, after GC): heap used %.1f MiB at start, %.1f MiB at end; "
				+ "live threads %d at start, %d at end (by name: %s).%n", report.jvmAtStart().heapUsedBytes() / MIB,
				report.jvmAtEnd().heapUsedBytes() / MIB, report.jvmAtStart().liveThreads(),
				report.jvmAtEnd().liveThreads(), threadChanges(report)));
		for (SoakRun.Result r : report.modes()) {
			markdown.append(String.format("%n%s faults: %s", r.mode(), r.faults()
				.stream()
				.collect(Collectors.groupingBy(SoakRun.FaultRecord::name, LinkedHashMap::new,
						Collectors.counting()))
				.entrySet()
				.stream()
				.map((entry) -> entry.getValue() + " x " + entry.getKey())
				.collect(Collectors.joining(", "))));
			long failed = r.faults().stream().filter((fault) -> !fault.outcome().equals("ok")).count();
			if (failed > 0) {
				markdown.append(String.format(" (%d failed in the lab)", failed));
			}
			if (!r.errorsByFault().isEmpty()) {
				markdown.append("; errors: ").append(r.errorsByFault());
			}
			if (r.incrementErrors() > 0) {
				markdown.append(String.format("; %d of the %d INCRs with an unknown outcome were applied (counter %d, "
						+ "%d acknowledged)", r.counter() - r.acknowledgedIncrements(), r.incrementErrors(), r.counter(),
						r.acknowledgedIncrements()));
			}
			if (!r.replicationLagsMillis().isEmpty()) {
				markdown.append("; replication lag before each kill -9 (ms): ").append(r.replicationLagsMillis());
			}
			markdown.append("\n");
		}
		String modes = report.modes().stream().map(SoakReport::json).collect(Collectors.joining(",\n    ", "[\n    ", "\n  ]"));
		String json = String.format(
				"{%n  \"variant\":%s,%n  \"seconds\":%d,%n  \"faultEverySeconds\":%d,%n  \"heapUsedBytesAtStart\":%d,%n  \"heapUsedBytesAtEnd\":%d,%n  \"liveThreadsAtStart\":%d,%n  \"liveThreadsAtEnd\":%d,%n  \"threadChanges\":%s,%n  \"modes\":%s%n}%n",
				quote(report.variant().name()), report.duration().toSeconds(), report.faultEvery().toSeconds(), report.jvmAtStart().heapUsedBytes(),
				report.jvmAtEnd().heapUsedBytes(), report.jvmAtStart().liveThreads(), report.jvmAtEnd().liveThreads(),
				report.jvmAtEnd().threadChangesSince(report.jvmAtStart()).stream().map(SoakReport::quote)
					.collect(Collectors.joining(",", "[", "]")),
				modes);
		return new Benchmarks.Report(markdown.toString(), json);
	}

	private static String threadChanges(SoakRun.Report report) {
		List<String> changes = report.jvmAtEnd().threadChangesSince(report.jvmAtStart());
		return changes.isEmpty() ? "no change" : String.join(", ", changes);
	}

	private static String json(SoakRun.Result r) {
		String faults = r.faults()
			.stream()
			.map((f) -> String.format("{\"name\":%s,\"startedAtMillis\":%d,\"tookMillis\":%d,\"outcome\":%s}",
					quote(f.name()), f.startedAtMillis(), f.tookMillis(), quote(f.outcome())))
			.collect(Collectors.joining(",", "[", "]"));
		return String.format(
				"{\"mode\":%s,\"faultCount\":%d,\"operations\":%d,\"errors\":%d,\"incrementErrors\":%d,\"errorsByFault\":%s,\"acknowledgedWrites\":%d,\"lostWritesServer\":%d,\"lostWritesClient\":%d,\"acknowledgedIncrements\":%d,\"counter\":%d,\"duplicateIncrements\":%d,\"lostIncrements\":%d,\"readMismatches\":%d,\"replicationLagsMillis\":%s,\"connectionsAtStart\":%d,\"connectionsAtEnd\":%d,\"faults\":%s}",
				quote(r.mode()), r.faultCount(), r.operations(), r.errors(), r.incrementErrors(),
				json(r.errorsByFault()), r.acknowledgedWrites(), r.lostWritesServer(), r.lostWritesClient(),
				r.acknowledgedIncrements(), r.counter(), r.duplicateIncrements(), r.lostIncrements(), r.readMismatches(),
				json(r.replicationLagsMillis()),
				r.connectionsAtStart(), r.connectionsAtEnd(), faults);
	}

	private static String json(Map<String, Long> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> quote(entry.getKey()) + ":" + entry.getValue())
			.collect(Collectors.joining(",", "{", "}"));
	}

	private static String json(List<Long> values) {
		return values.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}

}
