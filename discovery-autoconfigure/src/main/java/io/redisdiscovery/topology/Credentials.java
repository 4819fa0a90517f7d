package io.redisdiscovery.topology;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

/**
 * User name and password of one kind of node (data nodes or Sentinels); {@link #toString()} never shows the
 * password.
 *
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none
 * @since 0.1.0
 */
public record Credentials(@Nullable String username, @Nullable String password) {

	/** No authentication. */
	public static final Credentials NONE = new Credentials(null, null);

	/**
	 * Adds these credentials to a Redis URI.
	 * @param uri the URI builder
	 */
	public void applyTo(RedisURI.Builder uri) {
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
		return "Credentials[username=" + this.username + ", password=" + ((this.password != null) ? "******" : "none")
				+ "]";
	}

}
