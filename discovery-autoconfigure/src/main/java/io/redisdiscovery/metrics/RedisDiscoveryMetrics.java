package io.redisdiscovery.metrics;

import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChange;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of discovery, all tagged with the mode: topology changes, failovers observed (the
 * master moved), re-discoveries, the current endpoint count, and retry calls by outcome.
 *
 * @since 0.1.0
 */
public class RedisDiscoveryMetrics implements MeterBinder {

	private final TopologySource topology;

	private final @Nullable Retry retry;

	/**
	 * Creates the meters' binder.
	 * @param topology the topology source to observe
	 * @param retry the command retry, or {@code null} when retry is disabled
	 */
	public RedisDiscoveryMetrics(TopologySource topology, @Nullable Retry retry) {
		this.topology = topology;
		this.retry = retry;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags tags = Tags.of("mode", this.topology.current().mode());
		Counter changes = Counter.builder("redis.discovery.topology.changes")
			.description("Changes of the discovered topology")
			.tags(tags)
			.register(registry);
		Counter failovers = Counter.builder("redis.discovery.failovers")
			.description("Changes of the master that receives writes")
			.tags(tags)
			.register(registry);
		this.topology.addListener((change) -> {
			changes.increment();
			if (masterMoved(change)) {
				failovers.increment();
			}
		});
		Gauge.builder("redis.discovery.endpoints", this.topology, (source) -> source.current().endpoints().size())
			.description("Endpoints currently known")
			.tags(tags)
			.register(registry);
		if (this.retry != null) {
			bindRetry(registry, this.retry, tags);
		}
	}

	private static void bindRetry(MeterRegistry registry, Retry retry, Tags tags) {
		retryCalls(registry, retry, tags, "successful_without_retry",
				(metrics) -> metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt());
		retryCalls(registry, retry, tags, "successful_with_retry",
				(metrics) -> metrics.getNumberOfSuccessfulCallsWithRetryAttempt());
		retryCalls(registry, retry, tags, "failed_with_retry",
				(metrics) -> metrics.getNumberOfFailedCallsWithRetryAttempt());
		retryCalls(registry, retry, tags, "failed_without_retry",
				(metrics) -> metrics.getNumberOfFailedCallsWithoutRetryAttempt());
	}

	private static void retryCalls(MeterRegistry registry, Retry retry, Tags tags, String kind,
			java.util.function.ToLongFunction<Retry.Metrics> count) {
		FunctionCounter.builder("redis.discovery.retry.calls", retry, (r) -> count.applyAsLong(r.getMetrics()))
			.description("Redis operations by retry outcome")
			.tags(tags.and("kind", kind))
			.register(registry);
	}

	private static boolean masterMoved(TopologyChange change) {
		String before = master(change.before());
		String after = master(change.after());
		return before != null && after != null && !before.equals(after);
	}

	private static @Nullable String master(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.MASTER && endpoint.inUse())
			.map(TopologyEndpoint::node)
			.map(Object::toString)
			.findFirst()
			.orElse(null);
	}

}
