package io.redisdiscovery.sentinel;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

/**
 * User name and password for one kind of node (Sentinels or data nodes); {@link #toString()} never shows the
 * password.
 *
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none
 * @since 0.1.0
 */
public record SentinelCredentials(@Nullable String username, @Nullable String password) {

	/** No authentication. */
	public static final SentinelCredentials NONE = new SentinelCredentials(null, null);

	void applyTo(RedisURI.Builder uri) {
		if (this.password == null) {
			return;
		}
		if (this.username != null) {
			uri.withAuthentication(this.username, this.password);
		}
		else {
			uri.withPassword(this.password.toCharArray());
		}
	}

	@Override
	public String toString() {
		return "SentinelCredentials[username=" + this.username + ", password="
				+ ((this.password != null) ? "******" : "none") + "]";
	}

}
