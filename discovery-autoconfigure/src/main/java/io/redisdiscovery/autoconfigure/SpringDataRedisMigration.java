package io.redisdiscovery.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.env.Environment;

/**
 * Takes over an application configured with Spring Boot's {@code spring.data.redis.*}: says which
 * {@code redis.discovery.*} property replaces each one that is set, copies the settings that are not part of the
 * endpoint, and refuses those the starter has no equivalent for. The endpoint itself (host, url, Sentinel, cluster,
 * credentials, database) reaches the starter through Spring Boot's properties-backed connection details, like any
 * other connection details.
 */
final class SpringDataRedisMigration {

	private static final String PREFIX = "spring.data.redis.";

	/** Each Spring Boot property the starter understands, and what to write instead. */
	private static final Map<String, String> REPLACEMENTS = replacements();

	/** Each Spring Boot property, or section, the starter has no equivalent for, and what to do about it. */
	private static final Map<String, String> REFUSED = refused();

	private final Environment environment;

	private final Iterable<ConfigurationPropertySource> sources;

	SpringDataRedisMigration(Environment environment) {
		this.environment = environment;
		this.sources = ConfigurationPropertySources.get(environment);
	}

	/**
	 * Whether any {@code spring.data.redis.*} connection property is set (repository settings do not count).
	 * @return whether there is something to migrate
	 */
	boolean isConfigured() {
		return REPLACEMENTS.keySet().stream().anyMatch(this::isSet) || REFUSED.keySet().stream().anyMatch(this::isSet);
	}

	/**
	 * Fails on the first property set that the starter cannot honour.
	 * @throws InvalidDiscoveryPropertyException naming that property and the fix
	 */
	void checkSupported() {
		REFUSED.forEach((name, fix) -> {
			if (isSet(name)) {
				throw new InvalidDiscoveryPropertyException(firstSetUnder(name),
						"it has no equivalent in the Redis discovery starter, which builds its own Lettuce connection "
								+ "factory",
						fix);
			}
		});
		DataRedisProperties.ClientType clientType = bind().getClientType();
		if (clientType == DataRedisProperties.ClientType.JEDIS) {
			throw new InvalidDiscoveryPropertyException(PREFIX + "client-type",
					"it is 'jedis' but the Redis discovery starter connects with Lettuce",
					"remove it, or set redis.discovery.enabled=false to keep Spring Boot's Jedis connection factory");
		}
	}

	/**
	 * Copies the settings outside the endpoint (time limits, client name, TLS, cluster options, pool), each unless its
	 * {@code redis.discovery.*} counterpart is set, which wins.
	 * @param target the effective settings, a copy the application does not see
	 * @param includeSsl whether to copy the TLS settings too (not when a connection details bean supplies them)
	 */
	void applyNonEndpointSettings(RedisDiscoveryProperties target, boolean includeSsl) {
		DataRedisProperties source = bind();
		copy(source.getTimeout(), "timeout.command", target.getTimeout()::setCommand);
		copy(source.getConnectTimeout(), "timeout.connect", target.getTimeout()::setConnect);
		copy(source.getClientName(), "client-name", target::setClientName);
		if (source.getCluster() != null) {
			copy(source.getCluster().getMaxRedirects(), "cluster.max-redirects", target.getCluster()::setMaxRedirects);
		}
		DataRedisProperties.Lettuce.Cluster.Refresh refresh = source.getLettuce().getCluster().getRefresh();
		copy(refresh.getPeriod(), "cluster.refresh.period", target.getCluster().getRefresh()::setPeriod);
		// Bound on its own: Spring Boot 4.1 dropped it from DataRedisProperties (Lettuce 7 has every adaptive
		// trigger on by default), but the starter still honours it.
		copy(Binder.get(this.environment).bind(PREFIX + "lettuce.cluster.refresh.adaptive", Boolean.class).orElse(null),
				"cluster.refresh.adaptive", target.getCluster().getRefresh()::setAdaptive);
		DataRedisProperties.Pool pool = source.getLettuce().getPool();
		RedisDiscoveryProperties.Pool targetPool = target.getPool();
		copySet("lettuce.pool.enabled", pool.getEnabled(), "pool.enabled", targetPool::setEnabled);
		copySet("lettuce.pool.max-active", pool.getMaxActive(), "pool.max-active", targetPool::setMaxActive);
		copySet("lettuce.pool.max-idle", pool.getMaxIdle(), "pool.max-idle", targetPool::setMaxIdle);
		copySet("lettuce.pool.min-idle", pool.getMinIdle(), "pool.min-idle", targetPool::setMinIdle);
		copySet("lettuce.pool.max-wait", pool.getMaxWait(), "pool.max-wait", targetPool::setMaxWait);
		copySet("lettuce.pool.time-between-eviction-runs", pool.getTimeBetweenEvictionRuns(),
				"pool.time-between-eviction-runs", targetPool::setTimeBetweenEvictionRuns);
		if (includeSsl) {
			String url = source.getUrl();
			// As in Spring Boot: a rediss:// URL turns TLS on, and so does a bundle unless ssl.enabled=false.
			boolean enabled = source.getSsl().isEnabled() || (url != null && url.startsWith("rediss:"));
			if (enabled) {
				copy(Boolean.TRUE, "ssl.enabled", target.getSsl()::setEnabled);
				copy(source.getSsl().getBundle(), "ssl.bundle", target.getSsl()::setBundle);
			}
		}
	}

	/**
	 * The properties set, each with the {@code redis.discovery.*} property or properties to use instead: names
	 * only, never values.
	 * @return the advice, one entry per property set, for example
	 * {@code spring.data.redis.host -> redis.discovery.standalone.host}
	 */
	List<String> replacementAdvice() {
		List<String> advice = new ArrayList<>();
		REPLACEMENTS.forEach((name, replacement) -> {
			if (isSet(name)) {
				advice.add(PREFIX + name + " -> " + replacement);
			}
		});
		return advice;
	}

	/** Like {@code copy}, for a Spring Boot property whose bound value has a default: only when it is set. */
	private <T> void copySet(String name, @Nullable T value, String discoveryProperty, Consumer<T> setter) {
		if (isSet(name)) {
			copy(value, discoveryProperty, setter);
		}
	}

	private <T> void copy(@Nullable T value, String discoveryProperty, Consumer<T> setter) {
		if (value != null && !isSet(ConfigurationPropertyName.of("redis.discovery." + discoveryProperty))) {
			setter.accept(value);
		}
	}

	/**
	 * The property set under a refused section, for example {@code spring.data.redis.lettuce.pool.max-active}, so
	 * that the failure names what the user wrote.
	 */
	private String firstSetUnder(String name) {
		ConfigurationPropertyName section = ConfigurationPropertyName.of(PREFIX + name);
		for (ConfigurationPropertySource source : this.sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				for (ConfigurationPropertyName candidate : iterable) {
					if (section.equals(candidate) || section.isAncestorOf(candidate)) {
						return candidate.toString();
					}
				}
			}
		}
		return section.toString();
	}

	private DataRedisProperties bind() {
		return Binder.get(this.environment).bindOrCreate("spring.data.redis", DataRedisProperties.class);
	}

	private boolean isSet(String name) {
		return isSet(ConfigurationPropertyName.of(PREFIX + name));
	}

	/**
	 * Set as a value, or as a list or map under the name ({@code nodes[0]}).
	 */
	private boolean isSet(ConfigurationPropertyName name) {
		for (ConfigurationPropertySource source : this.sources) {
			if (source.getConfigurationProperty(name) != null
					|| source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	private static Map<String, String> replacements() {
		Map<String, String> replacements = new LinkedHashMap<>();
		replacements.put("url", "redis.discovery.standalone.host, redis.discovery.standalone.port, "
				+ "redis.discovery.username, redis.discovery.password, redis.discovery.database, "
				+ "redis.discovery.ssl.enabled");
		replacements.put("host", "redis.discovery.standalone.host");
		replacements.put("port", "redis.discovery.standalone.port");
		replacements.put("database", "redis.discovery.database");
		replacements.put("username", "redis.discovery.username");
		replacements.put("password", "redis.discovery.password");
		replacements.put("sentinel.master", "redis.discovery.sentinel.master");
		replacements.put("sentinel.nodes", "redis.discovery.sentinel.nodes");
		replacements.put("sentinel.username", "redis.discovery.sentinel.username");
		replacements.put("sentinel.password", "redis.discovery.sentinel.password");
		replacements.put("cluster.nodes", "redis.discovery.cluster.nodes");
		replacements.put("cluster.max-redirects", "redis.discovery.cluster.max-redirects");
		replacements.put("ssl.enabled", "redis.discovery.ssl.enabled");
		replacements.put("ssl.bundle", "redis.discovery.ssl.bundle");
		replacements.put("timeout", "redis.discovery.timeout.command");
		replacements.put("connect-timeout", "redis.discovery.timeout.connect");
		replacements.put("client-name", "redis.discovery.client-name");
		replacements.put("client-type", "nothing (the starter always uses Lettuce)");
		replacements.put("lettuce.cluster.refresh.period", "redis.discovery.cluster.refresh.period");
		replacements.put("lettuce.cluster.refresh.adaptive", "redis.discovery.cluster.refresh.adaptive");
		replacements.put("lettuce.pool", "redis.discovery.pool.* (the same names and defaults)");
		return replacements;
	}

	private static Map<String, String> refused() {
		String keepBoot = ", or set redis.discovery.enabled=false to keep Spring Boot's connection factory";
		Map<String, String> refused = new LinkedHashMap<>();
		refused.put("jedis", "remove the spring.data.redis.jedis.* properties: the starter connects with Lettuce"
				+ keepBoot);
		refused.put("masterreplica", "point the application at the Sentinels that monitor these nodes "
				+ "(redis.discovery.sentinel.master and redis.discovery.sentinel.nodes)" + keepBoot);
		refused.put("lettuce.read-from",
				"use redis.discovery.sentinel.read-from or redis.discovery.cluster.read-from instead");
		refused.put("lettuce.cluster.refresh.dynamic-refresh-sources",
				"use redis.discovery.cluster.refresh.max-sources instead, which bounds the nodes asked at each refresh");
		refused.put("lettuce.shutdown-timeout", "remove it: the starter shuts its Lettuce client down itself");
		return refused;
	}

}
