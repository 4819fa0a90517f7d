package io.redisdiscovery.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Checks shared by the property validators; each names the full property in its failure.
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	static void positive(String property, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new InvalidDiscoveryPropertyException(property, "it is " + duration + ", not a positive duration",
					"use a positive duration such as 500ms or 2s");
		}
	}

	/**
	 * Fails on a user name without a password: Redis logs a user in only with both, and Spring Data and Lettuce leave
	 * out a user name that comes alone, so the connection would log in as the default user without a word.
	 * @param prefix the properties' common prefix, for example {@code redis.discovery.}
	 */
	static void usernameHasPassword(String prefix, @Nullable String username, @Nullable String password) {
		if (StringUtils.hasText(username) && !StringUtils.hasText(password)) {
			throw new InvalidDiscoveryPropertyException(prefix + "username", "it is set without " + prefix
					+ "password, and a user name alone is not sent to Redis (the connection would log in as the "
					+ "default user)", "set " + prefix + "password too (any value for an ACL user with 'nopass'), or "
							+ "remove " + prefix + "username to log in as the default user");
		}
	}

}
