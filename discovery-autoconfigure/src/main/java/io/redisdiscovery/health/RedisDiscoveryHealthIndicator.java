package io.redisdiscovery.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.redisdiscovery.topology.EndpointDescriptor;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports whether a writable Redis endpoint is known, after asking the deployment again within a time bound of
 * its own. UP when a reachable master is found, even if other parts are degraded (a Sentinel or replica down:
 * visible in the details); DOWN when no endpoint accepts writes.
 *
 * @since 0.1.0
 */
public class RedisDiscoveryHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private final TopologySource topology;

	private final Duration timeout;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "redis-discovery-health");
		thread.setDaemon(true);
		return thread;
	});

	private @Nullable CompletableFuture<RedisTopology> running;

	/**
	 * Creates an indicator.
	 * @param topology the topology source to ask
	 * @param timeout the bound on one check
	 */
	public RedisDiscoveryHealthIndicator(TopologySource topology, Duration timeout) {
		super("Redis discovery health check failed");
		this.topology = topology;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		RedisTopology topology;
		try {
			topology = refresh().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			topology = staleCopy(this.topology.current());
			builder.withDetail("error", "Discovery did not answer within " + this.timeout);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		(topology.hasWritableEndpoint() ? builder.up() : builder.down()).withDetails(describe(topology));
	}

	/** Starts a refresh unless one is still running, so slow checks never pile up. */
	private synchronized CompletableFuture<RedisTopology> refresh() {
		if (this.running == null || this.running.isDone()) {
			this.running = CompletableFuture.supplyAsync(() -> this.topology.refresh("health check"), this.executor);
		}
		return this.running;
	}

	private static RedisTopology staleCopy(RedisTopology topology) {
		return new RedisTopology(topology.mode(), topology.endpoints(), topology.details(), topology.discoveredAt(),
				true);
	}

	private static Map<String, Object> describe(RedisTopology topology) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("mode", topology.mode().propertyValue());
		details.put("endpoints", EndpointDescriptor.of(topology));
		details.putAll(topology.details());
		if (topology.discoveredAt() != null) {
			details.put("discoveredAt", topology.discoveredAt());
		}
		details.put("stale", topology.stale());
		return details;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
