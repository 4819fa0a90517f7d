package io.redisdiscovery.sample.workload;

/**
 * What the workload did during one second.
 *
 * @param epochSecond the second, since the epoch
 * @param operations the Redis operations that completed in that second
 * @param errors the operations that failed (after the starter's retries)
 * @param p50Millis median latency of the operations
 * @param p99Millis 99th percentile latency
 * @param maxMillis slowest operation
 */
public record WorkloadSecond(long epochSecond, long operations, long errors, double p50Millis, double p99Millis,
		double maxMillis) {

}
