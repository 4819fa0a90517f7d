package io.redisdiscovery.autoconfigure.endpoint;

import java.util.Locale;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks the {@code redis.discovery.*} passwords in the {@code configprops} and {@code env} endpoints even when
 * they are set to show values.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
public final class RedisDiscoverySanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisDiscoveryPasswordSanitizer")
	SanitizingFunction redisDiscoveryPasswordSanitizer() {
		return SanitizingFunction.sanitizeValue()
			.ifKeyMatches(RedisDiscoverySanitizingAutoConfiguration::isDiscoveryPassword);
	}

	/**
	 * Matches the property in any source's spelling ({@code redis.discovery.sentinel.password},
	 * {@code REDIS_DISCOVERY_SENTINEL_PASSWORD}).
	 */
	private static boolean isDiscoveryPassword(String key) {
		String name = key.toLowerCase(Locale.ROOT).replace('_', '.');
		return name.startsWith("redis.discovery.") && name.endsWith("password");
	}

}
