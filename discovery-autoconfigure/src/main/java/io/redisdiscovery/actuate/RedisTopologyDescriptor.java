package io.redisdiscovery.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.topology.EndpointDescriptor;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChange;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The JSON body of the {@code redis-topology} endpoint.
 *
 * @param mode the discovery mode
 * @param endpoints the data endpoints
 * @param details mode-specific facts
 * @param discoveredAt when the topology was last confirmed
 * @param stale whether the last confirmation failed and the last known view is shown
 * @param writable whether an endpoint accepts writes
 * @param events the most recent changes, newest first
 * @param totalEvents how many changes were seen since startup
 * @param retry statistics of the command retry, or {@code null} when retry is disabled
 * @since 0.1.0
 */
public record RedisTopologyDescriptor(String mode, List<EndpointDescriptor> endpoints, Map<String, Object> details,
		@Nullable Instant discoveredAt, boolean stale, boolean writable, List<EventDescriptor> events,
		long totalEvents, @Nullable RetryDescriptor retry) implements OperationResponseBody {

	static RedisTopologyDescriptor of(RedisTopology topology, List<TopologyChange> changes, long totalChanges,
			@Nullable Retry retry) {
		return new RedisTopologyDescriptor(topology.mode().propertyValue(), EndpointDescriptor.of(topology),
				topology.details(), topology.discoveredAt(), topology.stale(), topology.hasWritableEndpoint(),
				changes.stream().map(EventDescriptor::of).toList(), totalChanges,
				(retry != null) ? RetryDescriptor.of(retry) : null);
	}

	/**
	 * One topology change.
	 *
	 * @param at when it was seen
	 * @param reason why
	 * @param before the endpoints before
	 * @param after the endpoints after
	 */
	public record EventDescriptor(Instant at, String reason, List<EndpointDescriptor> before,
			List<EndpointDescriptor> after) {

		static EventDescriptor of(TopologyChange change) {
			return new EventDescriptor(change.at(), change.reason(), EndpointDescriptor.of(change.before()),
					EndpointDescriptor.of(change.after()));
		}

	}

	/**
	 * Counts of the Resilience4j retry since startup.
	 *
	 * @param name the retry instance name
	 * @param successfulWithoutRetry calls that succeeded at the first attempt
	 * @param successfulWithRetry calls that succeeded after retrying
	 * @param failedWithRetry calls that failed after retrying
	 * @param failedWithoutRetry calls that failed with a failure not worth retrying
	 */
	public record RetryDescriptor(String name, long successfulWithoutRetry, long successfulWithRetry,
			long failedWithRetry, long failedWithoutRetry) {

		static RetryDescriptor of(Retry retry) {
			Retry.Metrics metrics = retry.getMetrics();
			return new RetryDescriptor(retry.getName(), metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt(),
					metrics.getNumberOfSuccessfulCallsWithRetryAttempt(), metrics.getNumberOfFailedCallsWithRetryAttempt(),
					metrics.getNumberOfFailedCallsWithoutRetryAttempt());
		}

	}

}
