package io.redisdiscovery.lab;

/**
 * Test helper that tells whether an operating-system process is still running.
 */
final class LabProcesses {

	private LabProcesses() {
	}

	static boolean isRunning(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

}
