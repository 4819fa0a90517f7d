package io.redisdiscovery.lab.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the processes and deletes the directories the lab still owns when the JVM exits, so no orphan outlives a test.
 */
public final class LabJanitor {

	private static final Logger logger = LoggerFactory.getLogger(LabJanitor.class);

	private static final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private static final Set<Path> directories = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(LabJanitor::cleanUpAtExit, "redis-lab-janitor"));
	}

	private LabJanitor() {
	}

	public static void register(Process process) {
		processes.add(process);
	}

	public static void unregister(Process process) {
		processes.remove(process);
	}

	public static void register(Path directory) {
		directories.add(directory);
	}

	public static void unregister(Path directory) {
		directories.remove(directory);
	}

	/**
	 * Sends SIGKILL to the process and its children (a forked RDB child could otherwise survive) and waits until it is
	 * reaped.
	 */
	public static void kill(Process process, Duration timeout) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		waitFor(process, timeout);
		unregister(process);
	}

	/**
	 * Waits for the process to exit and be reaped; returns whether it did.
	 */
	public static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

	private static void cleanUpAtExit() {
		if (!processes.isEmpty()) {
			logger.info("Killing {} Redis lab process(es) left running at JVM exit", processes.size());
		}
		for (Process process : processes) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		// Reap them here: once this JVM is gone nobody else may reap them (a container's PID 1 often does not).
		for (Process process : processes) {
			waitFor(process, Duration.ofSeconds(2));
		}
		directories.forEach(TempDirectories::deleteQuietly);
	}

}
