package io.redisdiscovery.metrics;

import io.micrometer.core.instrument.Counter;
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
 * master moved) and the current endpoint count. Retry calls are counted by Resilience4j's own meters
 * ({@link RedisDiscoveryRetryMetrics}).
 *
 * @since 0.1.0
 */
public class RedisDiscoveryMetrics implements MeterBinder {

	private final TopologySource topology;

	/**
	 * Creates the meters' binder.
	 * @param topology the topology source to observe
	 */
	public RedisDiscoveryMetrics(TopologySource topology) {
		this.topology = topology;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags tags = Tags.of("mode", this.topology.current().mode().propertyValue());
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
