package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads a source works on: the watcher for periodic checks, queued discoveries and aborted failovers,
 * and a follower for {@code +switch-master}, apart from the watcher, which may be stuck probing the master that
 * hung. Once closed, tasks are dropped: nothing is left to follow.
 */
final class SentinelThreads {

	// The source's category: a failed task is part of its story.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final String masterName;

	private final ScheduledExecutorService watcher;

	private final ExecutorService switchFollower;

	SentinelThreads(String masterName) {
		this.masterName = masterName;
		this.watcher = Executors.newSingleThreadScheduledExecutor(daemon("redis-discovery-sentinel-", masterName));
		this.switchFollower = Executors
			.newSingleThreadExecutor(daemon("redis-discovery-sentinel-switch-", masterName));
	}

	private static ThreadFactory daemon(String prefix, String masterName) {
		return (task) -> {
			Thread thread = new Thread(task, prefix + masterName);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Runs a task on the watcher every period, after the previous run ended.
	 */
	void every(Duration period, Runnable task) {
		long millis = period.toMillis();
		this.watcher.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs a task on the watcher after a delay.
	 */
	void later(long delayNanos, Runnable task) {
		try {
			this.watcher.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to follow.
		}
	}

	/**
	 * Runs a task on the watcher, logging what it throws.
	 */
	void onWatcher(Runnable task) {
		submit(this.watcher, task);
	}

	/**
	 * Runs a task on the switch follower, logging what it throws.
	 */
	void onSwitchFollower(Runnable task) {
		submit(this.switchFollower, task);
	}

	private void submit(ExecutorService executor, Runnable task) {
		try {
			executor.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Sentinel task for '{}' failed", this.masterName, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to follow.
		}
	}

	/**
	 * Interrupts the tasks and waits a bounded time for both threads to end.
	 * @param bound how long to wait for each
	 */
	void close(Duration bound) {
		this.watcher.shutdownNow();
		this.switchFollower.shutdownNow();
		try {
			long millis = bound.toMillis();
			if (!this.watcher.awaitTermination(millis, TimeUnit.MILLISECONDS)
					|| !this.switchFollower.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
				logger.warn("Sentinel watcher of '{}' did not stop in time", this.masterName);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
