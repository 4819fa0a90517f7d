package io.redisdiscovery.actuate;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChangeLog;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Shows the discovered Redis topology, its recent changes and retry statistics; a write forces re-discovery.
 * The ID has no dash (a dash in an ID makes Spring Boot warn at startup); the web path is
 * {@code /actuator/redis-topology} through {@link RedisTopologyPathMapper}.
 *
 * @since 0.1.0
 */
@Endpoint(id = RedisTopologyEndpoint.ID)
public class RedisTopologyEndpoint {

	/** The endpoint ID. */
	public static final String ID = "redistopology";

	private final TopologySource topology;

	private final TopologyChangeLog changes;

	private final @Nullable Retry retry;

	/**
	 * Creates the endpoint.
	 * @param topology the topology source
	 * @param changes the recent changes
	 * @param retry the command retry, or {@code null} when retry is disabled
	 */
	public RedisTopologyEndpoint(TopologySource topology, TopologyChangeLog changes, @Nullable Retry retry) {
		this.topology = topology;
		this.changes = changes;
		this.retry = retry;
	}

	/**
	 * The topology as last discovered, without asking the deployment.
	 * @return the topology
	 */
	@ReadOperation
	public RedisTopologyDescriptor topology() {
		return describe(this.topology.current());
	}

	/**
	 * Re-discovers the topology now.
	 * @return the new topology
	 */
	@WriteOperation
	public RedisTopologyDescriptor rediscover() {
		return describe(this.topology.refresh("requested through the redis-topology endpoint"));
	}

	private RedisTopologyDescriptor describe(RedisTopology topology) {
		return RedisTopologyDescriptor.of(topology, this.changes.recent(), this.changes.total(), this.retry);
	}

}
