package io.redisdiscovery.lab;

import org.jspecify.annotations.Nullable;

/**
 * Immutable options for a Sentinel group: a password on the data nodes and, separately, one on the Sentinels, and TLS.
 */
public final class SentinelGroupOptions {

	private final @Nullable String dataPassword;

	private final @Nullable String sentinelPassword;

	private final @Nullable LabTls tls;

	private final @Nullable LabTls sentinelTls;

	private SentinelGroupOptions(@Nullable String dataPassword, @Nullable String sentinelPassword,
			@Nullable LabTls tls, @Nullable LabTls sentinelTls) {
		this.dataPassword = dataPassword;
		this.sentinelPassword = sentinelPassword;
		this.tls = tls;
		this.sentinelTls = sentinelTls;
	}

	/**
	 * No passwords anywhere.
	 */
	public static SentinelGroupOptions defaults() {
		return new SentinelGroupOptions(null, null, null, null);
	}

	/**
	 * Protects master and replicas with {@code requirepass} and {@code masterauth}, and tells the Sentinels with
	 * {@code sentinel auth-pass}.
	 */
	public SentinelGroupOptions withDataPassword(String password) {
		return new SentinelGroupOptions(password, this.sentinelPassword, this.tls, this.sentinelTls);
	}

	/**
	 * Protects the Sentinels themselves with {@code requirepass}; they use it with each other too.
	 */
	public SentinelGroupOptions withSentinelPassword(String password) {
		return new SentinelGroupOptions(this.dataPassword, password, this.tls, this.sentinelTls);
	}

	/**
	 * Gives every data node and Sentinel a TLS port with this material; replication, Sentinel-to-node and
	 * Sentinel-to-Sentinel links use TLS, and the Sentinels report TLS ports. The plain ports stay open for the lab.
	 */
	public SentinelGroupOptions withTls(LabTls tls) {
		return withTls(tls, tls);
	}

	/**
	 * Like {@link #withTls(LabTls)}, with separate certificates for the data nodes and for the Sentinels (both
	 * signed by CAs each side trusts).
	 */
	public SentinelGroupOptions withTls(LabTls dataNodes, LabTls sentinels) {
		return new SentinelGroupOptions(this.dataPassword, this.sentinelPassword, dataNodes, sentinels);
	}

	/**
	 * The data nodes' TLS material, if any.
	 */
	public @Nullable LabTls tls() {
		return this.tls;
	}

	public @Nullable LabTls sentinelTls() {
		return this.sentinelTls;
	}

	public @Nullable String dataPassword() {
		return this.dataPassword;
	}

	public @Nullable String sentinelPassword() {
		return this.sentinelPassword;
	}

}
