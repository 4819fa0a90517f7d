package io.redisdiscovery.sample.workload;

import java.time.Instant;

/**
 * One failed workload operation.
 *
 * @param at when it failed
 * @param operation the Redis command
 * @param message the exception type and message
 */
public record WorkloadError(Instant at, String operation, String message) {

}
