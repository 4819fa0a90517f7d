package io.redisdiscovery.autoconfigure;

import io.netty.util.NetUtil;

import org.springframework.util.StringUtils;

/**
 * Checks {@link RedisDiscoveryProperties} at startup so that bad values fail with a message naming the property
 * instead of surfacing later as a connection error.
 */
final class RedisDiscoveryPropertiesValidator {

	private static final String PREFIX = "redis.discovery.";

	private RedisDiscoveryPropertiesValidator() {
	}

	/**
	 * Checks the settings every mode shares, then the section of the mode in use.
	 * @param properties the effective properties
	 * @param modeSupport the support of the mode in use
	 */
	static void validate(RedisDiscoveryProperties properties, DiscoveryModeSupport modeSupport) {
		if (properties.getDatabase() < 0) {
			fail("database", "it is negative", "use a database index of 0 or more");
		}
		PropertyChecks.positive(PREFIX + "timeout.connect", properties.getTimeout().getConnect());
		PropertyChecks.positive(PREFIX + "timeout.command", properties.getTimeout().getCommand());
		if (properties.getTimeout().getKeepAlive().toSeconds() < 1) {
			fail("timeout.keep-alive", "it is " + properties.getTimeout().getKeepAlive() + ", under one second",
					"use whole seconds such as 15s: TCP keepalive counts in seconds");
		}
		PropertyChecks.positive(PREFIX + "health.timeout", properties.getHealth().getTimeout());
		PropertyChecks.usernameHasPassword(PREFIX, properties.getUsername(), properties.getPassword());
		modeSupport.validate(properties);
	}

	static void validateRetry(RedisDiscoveryProperties.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			fail("retry.max-attempts", "it is " + retry.getMaxAttempts(),
					"use 1 or more (1 means no retry), or set redis.discovery.retry.enabled=false");
		}
		PropertyChecks.positive(PREFIX + "retry.wait-duration", retry.getWaitDuration());
		PropertyChecks.positive(PREFIX + "retry.max-wait-duration", retry.getMaxWaitDuration());
		if (retry.getBackoffMultiplier() < 1) {
			fail("retry.backoff-multiplier", "it is below 1", "use 1 for a constant wait or more to back off");
		}
		if (retry.getJitter() < 0 || retry.getJitter() >= 1) {
			fail("retry.jitter", "it is outside [0, 1)", "use a fraction such as 0.5, or 0 for no jitter");
		}
	}

	static void validateReconnect(RedisDiscoveryProperties.Reconnect reconnect) {
		PropertyChecks.positive(PREFIX + "reconnect.min-delay", reconnect.getMinDelay());
		PropertyChecks.positive(PREFIX + "reconnect.max-delay", reconnect.getMaxDelay());
		if (reconnect.getMaxDelay().compareTo(reconnect.getMinDelay()) <= 0) {
			fail("reconnect.max-delay", "it is not longer than redis.discovery.reconnect.min-delay",
					"use a maximum delay longer than the minimum delay");
		}
	}

	/**
	 * Checks the host and port of a fixed endpoint.
	 * @param section the endpoint's properties group, for example {@code load-balancer}
	 * @param endpoint the endpoint
	 */
	static void endpoint(String section, RedisDiscoveryProperties.Endpoint endpoint) {
		String host = endpoint.getHost();
		if (!StringUtils.hasText(host)) {
			fail(section + ".host", "it is empty", "set the host name or IP address of the Redis endpoint");
		}
		if (StringUtils.containsWhitespace(host) || host.startsWith("[")
				|| (host.contains(":") && !NetUtil.isValidIpV6Address(host))) {
			fail(section + ".host", "'" + host + "' is not a host name or IP address",
					"write the host alone, an IPv6 address without brackets (::1), and the port in redis.discovery."
							+ section + ".port");
		}
		if (endpoint.getPort() < 1 || endpoint.getPort() > 65535) {
			fail(section + ".port", "port " + endpoint.getPort() + " is outside 1-65535",
					"set the TCP port of the Redis endpoint, for example 6379");
		}
	}

	private static void fail(String property, String problem, String fix) {
		throw new InvalidDiscoveryPropertyException(PREFIX + property, problem, fix);
	}

}
