package io.redisdiscovery.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * One fault of a mode's soak rotation: injects it, then repairs the topology so the next fault meets a healthy one.
 *
 * @param name what the fault does, for the report
 * @param action the injection and repair
 */
record SoakFault(String name, Action action) {

	/** Injects a fault and repairs the topology afterwards, blocking until it is healthy again. */
	@FunctionalInterface
	interface Action {

		/**
		 * Injects the fault and repairs.
		 * @return the replicated master the fault killed with {@code kill -9}, or {@code null} if none
		 * @throws Exception if the lab could not inject or repair
		 */
		@Nullable MasterKill run() throws Exception;

	}

}
