package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.topology.DiscoveryMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * Decides, once, where the endpoint comes from, in this order:
 * <ol>
 * <li>{@code redis.discovery.mode} or a mode section ({@code redis.discovery.standalone.*}, ...) is set: those
 * properties alone; connection details and {@code spring.data.redis.*} are ignored, with a log line;</li>
 * <li>a {@link DataRedisConnectionDetails} bean other than Spring Boot's properties-backed one
 * ({@code @ServiceConnection}, Docker Compose, a cloud binding): its endpoint, credentials, database and SSL
 * bundle, logged at INFO;</li>
 * <li>{@code spring.data.redis.*} is set: the same mapping through Spring Boot's properties-backed connection
 * details, plus the settings outside the endpoint; logged at WARN with the properties to use instead, and refused
 * for settings the starter has no equivalent for;</li>
 * <li>nothing: standalone on the {@code redis.discovery.standalone.*} defaults.</li>
 * </ol>
 * In cases 2 and 3 the endpoint is written into a fresh copy of {@code redis.discovery.*}, so that every other
 * {@code redis.discovery.*} setting (time limits, retry, read-from ...) still applies and the application's
 * properties bean is left as bound.
 */
final class DiscoverySettingsResolver {

	/** Spring Boot's package-private class that turns {@code spring.data.redis.*} into connection details. */
	private static final String BOOT_PROPERTIES_DETAILS = "org.springframework.boot.data.redis.autoconfigure."
			+ "PropertiesDataRedisConnectionDetails";

	private static final Logger logger = LoggerFactory.getLogger(DiscoverySettingsResolver.class);

	private DiscoverySettingsResolver() {
	}

	static DiscoverySettings resolve(RedisDiscoveryProperties properties, Environment environment,
			@Nullable DataRedisConnectionDetails details, ObjectProvider<SslBundles> sslBundles) {
		SpringDataRedisMigration migration = new SpringDataRedisMigration(environment);
		boolean fromDetailsBean = details != null && !isBootPropertiesDetails(details);
		if (DiscoveryModeResolver.isConfigured(properties, environment)) {
			logIgnored(fromDetailsBean ? details : null, migration.isConfigured());
			return fromDiscoveryProperties(properties, environment, sslBundles);
		}
		if (fromDetailsBean) {
			return fromConnectionDetails(details, environment, migration, sslBundles);
		}
		if (migration.isConfigured()) {
			return fromSpringDataRedis(details, environment, migration, sslBundles);
		}
		return fromDiscoveryProperties(properties, environment, sslBundles);
	}

	private static DiscoverySettings fromDiscoveryProperties(RedisDiscoveryProperties properties,
			Environment environment, ObjectProvider<SslBundles> sslBundles) {
		DiscoveryMode mode = DiscoveryModeResolver.resolve(properties, environment);
		DiscoveryModeSupport modeSupport = DiscoveryModeSupport.of(mode);
		RedisDiscoveryPropertiesValidator.validate(properties, modeSupport);
		return new DiscoverySettings(properties, modeSupport, sslBundle(properties, sslBundles), "redis.discovery.*");
	}

	private static DiscoverySettings fromConnectionDetails(DataRedisConnectionDetails details,
			Environment environment, SpringDataRedisMigration migration, ObjectProvider<SslBundles> sslBundles) {
		String source = "connection details " + details.getClass().getName();
		RedisDiscoveryProperties effective = copy(environment);
		if (migration.isConfigured()) {
			// As with Spring Boot's own factory: the details replace the endpoint, not the time limits or client name.
			migration.checkSupported();
			migration.applyNonEndpointSettings(effective, false);
			logger.warn("Redis discovery takes time limits, client name and cluster options from "
					+ "spring.data.redis.*, which it supports only for migration; set instead: {}",
					String.join("; ", migration.replacementAdvice()));
		}
		DiscoveryMode mode = ConnectionDetailsMapper.apply(details, effective, source);
		DiscoveryModeSupport modeSupport = DiscoveryModeSupport.of(mode);
		SslBundle sslBundle = details.getSslBundle();
		if (sslBundle != null) {
			effective.getSsl().setEnabled(true);
		}
		validate(effective, modeSupport, source);
		logger.info("Redis discovery uses {} from {}, as no redis.discovery.* endpoint is configured",
				ConnectionDetailsMapper.describe(mode, effective), source);
		return new DiscoverySettings(effective, modeSupport, sslBundle, source);
	}

	private static DiscoverySettings fromSpringDataRedis(@Nullable DataRedisConnectionDetails details,
			Environment environment, SpringDataRedisMigration migration, ObjectProvider<SslBundles> sslBundles) {
		String source = "spring.data.redis.*";
		migration.checkSupported();
		if (details == null) {
			// Without Spring Boot's Data Redis auto-configuration nothing reads spring.data.redis.*; connecting to
			// the default localhost:6379 instead would hide the mistake.
			throw new InvalidDiscoveryPropertyException("spring.data.redis",
					"it is set but Spring Boot's DataRedisAutoConfiguration, which reads it, is not active",
					"configure the endpoint with redis.discovery.* instead");
		}
		RedisDiscoveryProperties effective = copy(environment);
		migration.applyNonEndpointSettings(effective, true);
		DiscoveryMode mode = ConnectionDetailsMapper.apply(details, effective, source);
		DiscoveryModeSupport modeSupport = DiscoveryModeSupport.of(mode);
		validate(effective, modeSupport, source);
		SslBundle sslBundle = sslBundle(effective, sslBundles);
		logger.warn("Redis discovery uses {} from spring.data.redis.*, which it supports only for migration; "
				+ "set instead: {}", ConnectionDetailsMapper.describe(mode, effective),
				String.join("; ", migration.replacementAdvice()));
		return new DiscoverySettings(effective, modeSupport, sslBundle, source);
	}

	/**
	 * A fresh binding of {@code redis.discovery.*}: the same values as the application's properties bean, in an
	 * instance the starter may complete without the application seeing it change.
	 */
	private static RedisDiscoveryProperties copy(Environment environment) {
		return Binder.get(environment).bindOrCreate("redis.discovery", RedisDiscoveryProperties.class);
	}

	/**
	 * Checks the mapped settings like configured ones, saying where a bad value came from.
	 */
	private static void validate(RedisDiscoveryProperties effective, DiscoveryModeSupport modeSupport,
			String source) {
		try {
			RedisDiscoveryPropertiesValidator.validate(effective, modeSupport);
		}
		catch (InvalidDiscoveryPropertyException ex) {
			throw new InvalidDiscoveryPropertyException(ex.getProperty(),
					ex.getProblem() + " (the value comes from " + source + ")", ex.getFix());
		}
	}

	private static boolean isBootPropertiesDetails(DataRedisConnectionDetails details) {
		return details.getClass().getName().equals(BOOT_PROPERTIES_DETAILS);
	}

	private static void logIgnored(@Nullable DataRedisConnectionDetails details, boolean springDataRedisConfigured) {
		if (details != null) {
			logger.info("Redis discovery ignores connection details {}: redis.discovery.* configures the endpoint",
					details.getClass().getName());
		}
		if (springDataRedisConfigured) {
			logger.warn("Redis discovery ignores spring.data.redis.*: redis.discovery.* configures the endpoint; "
					+ "remove the spring.data.redis.* properties");
		}
	}

	static @Nullable SslBundle sslBundle(RedisDiscoveryProperties properties, ObjectProvider<SslBundles> sslBundles) {
		String name = properties.getSsl().getBundle();
		if (name == null) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		try {
			if (bundles == null) {
				throw new NoSuchSslBundleException(name, "No SSL bundles are configured");
			}
			return bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidDiscoveryPropertyException("redis.discovery.ssl.bundle",
					"there is no SSL bundle named '" + name + "'",
					"name a bundle defined under spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*");
		}
	}

}
