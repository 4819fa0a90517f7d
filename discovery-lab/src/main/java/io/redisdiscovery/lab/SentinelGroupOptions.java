package io.redisdiscovery.lab;

import org.jspecify.annotations.Nullable;

/**
 * Immutable options for a Sentinel group: a password on the data nodes and, separately, one on the Sentinels.
 */
public final class SentinelGroupOptions {

	private final @Nullable String dataPassword;

	private final @Nullable String sentinelPassword;

	private SentinelGroupOptions(@Nullable String dataPassword, @Nullable String sentinelPassword) {
		this.dataPassword = dataPassword;
		this.sentinelPassword = sentinelPassword;
	}

	/**
	 * No passwords anywhere.
	 */
	public static SentinelGroupOptions defaults() {
		return new SentinelGroupOptions(null, null);
	}

	/**
	 * Protects master and replicas with {@code requirepass} and {@code masterauth}, and tells the Sentinels with
	 * {@code sentinel auth-pass}.
	 */
	public SentinelGroupOptions withDataPassword(String password) {
		return new SentinelGroupOptions(password, this.sentinelPassword);
	}

	/**
	 * Protects the Sentinels themselves with {@code requirepass}; they use it with each other too.
	 */
	public SentinelGroupOptions withSentinelPassword(String password) {
		return new SentinelGroupOptions(this.dataPassword, password);
	}

	public @Nullable String dataPassword() {
		return this.dataPassword;
	}

	public @Nullable String sentinelPassword() {
		return this.sentinelPassword;
	}

}
