package io.redisdiscovery.sample.workload;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Operations, errors and latency percentiles per second over the last {@value #HISTORY_SECONDS} seconds, plus the
 * last errors.
 */
@Component
public final class WorkloadStats {

	static final int HISTORY_SECONDS = 120;

	private static final int RECENT_ERRORS = 20;

	private static final int MAX_SAMPLES_PER_SECOND = 200_000;

	private final Clock clock;

	private final Deque<WorkloadSecond> history = new ArrayDeque<>();

	private final Deque<WorkloadError> recentErrors = new ArrayDeque<>();

	private long currentSecond;

	private long operations;

	private long errors;

	private long[] latencies = new long[1024];

	private int samples;

	private long totalOperations;

	private long totalErrors;

	public WorkloadStats() {
		this(Clock.systemUTC());
	}

	WorkloadStats(Clock clock) {
		this.clock = clock;
		this.currentSecond = epochSecond();
	}

	/**
	 * Records one completed operation.
	 */
	public synchronized void recordSuccess(long latencyNanos) {
		roll();
		this.operations++;
		this.totalOperations++;
		if (this.samples < MAX_SAMPLES_PER_SECOND) {
			if (this.samples == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
			}
			this.latencies[this.samples++] = latencyNanos;
		}
	}

	/**
	 * Records one failed operation.
	 */
	public synchronized void recordError(String operation, Throwable failure) {
		roll();
		this.errors++;
		this.totalErrors++;
		this.recentErrors.addFirst(new WorkloadError(this.clock.instant(), operation,
				failure.getClass().getSimpleName() + ": " + failure.getMessage()));
		while (this.recentErrors.size() > RECENT_ERRORS) {
			this.recentErrors.removeLast();
		}
	}

	/**
	 * The completed seconds, oldest first; the second in progress is not included.
	 */
	public synchronized List<WorkloadSecond> seconds() {
		roll();
		return new ArrayList<>(this.history);
	}

	public synchronized List<WorkloadError> recentErrors() {
		return new ArrayList<>(this.recentErrors);
	}

	public synchronized long totalOperations() {
		return this.totalOperations;
	}

	public synchronized long totalErrors() {
		return this.totalErrors;
	}

	private void roll() {
		long now = epochSecond();
		if (now <= this.currentSecond) {
			return;
		}
		this.history.addLast(closeCurrentSecond());
		for (long empty = Math.max(this.currentSecond + 1, now - HISTORY_SECONDS); empty < now; empty++) {
			this.history.addLast(new WorkloadSecond(empty, 0, 0, 0, 0, 0));
		}
		while (this.history.size() > HISTORY_SECONDS) {
			this.history.removeFirst();
		}
		this.currentSecond = now;
	}

	private WorkloadSecond closeCurrentSecond() {
		long[] sorted = Arrays.copyOf(this.latencies, this.samples);
		Arrays.sort(sorted);
		WorkloadSecond second = new WorkloadSecond(this.currentSecond, this.operations, this.errors,
				percentileMillis(sorted, 0.50), percentileMillis(sorted, 0.99), percentileMillis(sorted, 1.0));
		this.operations = 0;
		this.errors = 0;
		this.samples = 0;
		return second;
	}

	private static double percentileMillis(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(percentile * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	private long epochSecond() {
		Instant now = this.clock.instant();
		return now.getEpochSecond();
	}

}
