package io.redisdiscovery.retry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How the connections of a {@link RetryingLettuceConnectionFactory} are pooled, in commons-pool2's terms. A value of
 * its own so that the factory's API names no commons-pool2 type: the library is optional.
 *
 * @param maxActive most connections allocated at a time; negative for no limit
 * @param maxIdle most idle connections kept; negative for no limit
 * @param minIdle idle connections the evictor keeps (only with a positive {@code timeBetweenEvictionRuns})
 * @param maxWait longest wait for a connection when the pool is exhausted; negative to wait indefinitely
 * @param timeBetweenEvictionRuns period of the idle connection evictor, or {@code null} for none
 * @since 0.1.0
 */
public record PoolSettings(int maxActive, int maxIdle, int minIdle, Duration maxWait,
		@Nullable Duration timeBetweenEvictionRuns) {

}
