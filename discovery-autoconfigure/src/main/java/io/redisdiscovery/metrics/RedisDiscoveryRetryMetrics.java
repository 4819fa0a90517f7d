package io.redisdiscovery.metrics;

import io.github.resilience4j.micrometer.tagged.TaggedRetryMetricsPublisher;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes Resilience4j's own meters of the starter's {@link Retry}, {@code resilience4j.retry.calls} tagged with
 * the retry's {@code name} and the call's {@code kind}, to every registry it is bound to.
 * <p>
 * The meters are made by Resilience4j's {@link TaggedRetryMetricsPublisher}, so they are the ones Resilience4j's
 * Spring Boot integration publishes for the retries of an application's {@code RetryRegistry}. The publisher is used
 * rather than {@code TaggedRetryMetrics.ofRetryRegistry}, because the starter's retry is in no registry unless the
 * application has one.
 *
 * @since 0.1.0
 */
public class RedisDiscoveryRetryMetrics implements MeterBinder {

	private final Retry retry;

	/**
	 * Creates the meters' binder.
	 * @param retry the retry whose calls to count
	 */
	public RedisDiscoveryRetryMetrics(Retry retry) {
		this.retry = retry;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// One publisher per registry: it remembers the meters it registered there.
		new TaggedRetryMetricsPublisher(registry).publishMetrics(this.retry);
	}

}
