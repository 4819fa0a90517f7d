package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.retry.PoolSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Settles {@code redis.discovery.pool.*}: whether connections are pooled (by default when commons-pool2 is on the
 * class path, as Spring Boot decides) and with which checked settings.
 */
final class ConnectionPoolSupport {

	private static final String PREFIX = "redis.discovery.pool.";

	private static final String COMMONS_POOL2 = "org.apache.commons.pool2.ObjectPool";

	private ConnectionPoolSupport() {
	}

	/**
	 * The pool settings for the factory.
	 * @param pool the bound properties
	 * @param classLoader where commons-pool2 is looked for
	 * @return the settings, or {@code null} when connections are not pooled
	 */
	static @Nullable PoolSettings poolSettings(RedisDiscoveryProperties.Pool pool, @Nullable ClassLoader classLoader) {
		boolean available = ClassUtils.isPresent(COMMONS_POOL2, classLoader);
		Boolean enabled = pool.getEnabled();
		if (Boolean.TRUE.equals(enabled) && !available) {
			throw new InvalidDiscoveryPropertyException(PREFIX + "enabled",
					"it is true but commons-pool2 is not on the class path",
					"add the dependency org.apache.commons:commons-pool2, or remove the property");
		}
		if (!((enabled != null) ? enabled : available)) {
			return null;
		}
		validate(pool);
		return new PoolSettings(pool.getMaxActive(), pool.getMaxIdle(), pool.getMinIdle(), pool.getMaxWait(),
				pool.getTimeBetweenEvictionRuns());
	}

	private static void validate(RedisDiscoveryProperties.Pool pool) {
		if (pool.getMaxActive() == 0) {
			throw new InvalidDiscoveryPropertyException(PREFIX + "max-active",
					"it is 0, so no connection could ever be taken for a transaction or blocking command",
					"use 1 or more (8 by default), a negative value for no limit, or set " + PREFIX
							+ "enabled=false");
		}
		if (pool.getMinIdle() < 0) {
			throw new InvalidDiscoveryPropertyException(PREFIX + "min-idle", "it is negative", "use 0 or more");
		}
	}

}
