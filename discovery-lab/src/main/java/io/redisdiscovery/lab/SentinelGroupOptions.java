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

	private final @Nullable AclUser dataAclUser;

	private final @Nullable AclUser sentinelAclUser;

	private SentinelGroupOptions(@Nullable String dataPassword, @Nullable String sentinelPassword,
			@Nullable LabTls tls, @Nullable LabTls sentinelTls, @Nullable AclUser dataAclUser,
			@Nullable AclUser sentinelAclUser) {
		this.dataPassword = dataPassword;
		this.sentinelPassword = sentinelPassword;
		this.tls = tls;
		this.sentinelTls = sentinelTls;
		this.dataAclUser = dataAclUser;
		this.sentinelAclUser = sentinelAclUser;
	}

	/**
	 * No passwords anywhere.
	 */
	public static SentinelGroupOptions defaults() {
		return new SentinelGroupOptions(null, null, null, null, null, null);
	}

	/**
	 * Protects master and replicas with {@code requirepass} and {@code masterauth}, and tells the Sentinels with
	 * {@code sentinel auth-pass}.
	 */
	public SentinelGroupOptions withDataPassword(String password) {
		return new SentinelGroupOptions(password, this.sentinelPassword, this.tls, this.sentinelTls,
				this.dataAclUser, this.sentinelAclUser);
	}

	/**
	 * Protects the Sentinels themselves with {@code requirepass}; they use it with each other too.
	 */
	public SentinelGroupOptions withSentinelPassword(String password) {
		return new SentinelGroupOptions(this.dataPassword, password, this.tls, this.sentinelTls,
				this.dataAclUser, this.sentinelAclUser);
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
		return new SentinelGroupOptions(this.dataPassword, this.sentinelPassword, dataNodes, sentinels,
				this.dataAclUser, this.sentinelAclUser);
	}

	/**
	 * Adds an ACL user with full access on every data node, for the application; the lab, replication and the
	 * Sentinels keep using the default user (protect it with {@link #withDataPassword}).
	 */
	public SentinelGroupOptions withDataAclUser(String user, String password) {
		return new SentinelGroupOptions(this.dataPassword, this.sentinelPassword, this.tls, this.sentinelTls,
				new AclUser(user, password), this.sentinelAclUser);
	}

	/**
	 * Adds an ACL user with full access on every Sentinel, for the application; the lab and the Sentinels among
	 * themselves keep using the default user (protect it with {@link #withSentinelPassword}).
	 */
	public SentinelGroupOptions withSentinelAclUser(String user, String password) {
		return new SentinelGroupOptions(this.dataPassword, this.sentinelPassword, this.tls, this.sentinelTls,
				this.dataAclUser, new AclUser(user, password));
	}

	public @Nullable AclUser dataAclUser() {
		return this.dataAclUser;
	}

	public @Nullable AclUser sentinelAclUser() {
		return this.sentinelAclUser;
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
