package io.redisdiscovery.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * Acknowledged writes missing after a soak, split into those Redis's own asynchronous replication can lose (see
 * {@link MasterKill#explains}) and the rest, which the client lost.
 *
 * @param server lost writes explained by a {@code kill -9} of the replicated master that acknowledged them
 * @param client every other lost write
 */
record SoakLosses(long server, long client) {

	/**
	 * Classifies lost writes.
	 * @param lost each lost key with the {@link System#nanoTime()} at which its {@code SET} started
	 * @param kills the replicated masters killed during the run
	 * @return the split
	 */
	static SoakLosses classify(Map<String, Long> lost, List<MasterKill> kills) {
		long server = lost.entrySet()
			.stream()
			.filter((write) -> kills.stream().anyMatch((kill) -> kill.explains(write.getKey(), write.getValue())))
			.count();
		return new SoakLosses(server, lost.size() - server);
	}

}
