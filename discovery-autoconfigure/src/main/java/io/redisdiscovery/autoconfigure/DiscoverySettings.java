package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.topology.DiscoveryMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * The settings the starter connects with, settled once at startup from {@code redis.discovery.*}, connection
 * details or {@code spring.data.redis.*} (see {@link DiscoverySettingsResolver}).
 *
 * @param properties the effective settings: the bound {@code redis.discovery.*} properties, or a copy of them
 * completed from another source; never the application's bean changed behind its back
 * @param modeSupport the support of the mode in use, mapped once from the resolved mode
 * @param sslBundle the trust and key material, or {@code null} for none or the JDK's defaults
 * @param source where the endpoint comes from, for log lines and failures
 */
record DiscoverySettings(RedisDiscoveryProperties properties, DiscoveryModeSupport modeSupport,
		@Nullable SslBundle sslBundle, String source) {

	/**
	 * The mode in use.
	 * @return the mode
	 */
	DiscoveryMode mode() {
		return this.modeSupport.mode();
	}

}
