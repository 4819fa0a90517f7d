package io.redisdiscovery.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Immutable options for one standalone {@code redis-server}; every {@code with...} method returns a copy.
 */
public final class RedisServerOptions {

	/** The loopback address servers bind to unless told otherwise. */
	public static final String DEFAULT_BIND_HOST = "127.0.0.1";

	private final String bindHost;

	private final @Nullable String password;

	private final @Nullable String aclUser;

	private final @Nullable String aclPassword;

	private final boolean persistence;

	private final List<String> extraConfig;

	private final @Nullable LabTls tls;

	private RedisServerOptions(String bindHost, @Nullable String password, @Nullable String aclUser,
			@Nullable String aclPassword, boolean persistence, List<String> extraConfig, @Nullable LabTls tls) {
		this.bindHost = bindHost;
		this.password = password;
		this.aclUser = aclUser;
		this.aclPassword = aclPassword;
		this.persistence = persistence;
		this.extraConfig = List.copyOf(extraConfig);
		this.tls = tls;
	}

	/**
	 * Bind 127.0.0.1, no password, no persistence, no extra configuration.
	 */
	public static RedisServerOptions defaults() {
		return new RedisServerOptions(DEFAULT_BIND_HOST, null, null, null, false, List.of(), null);
	}

	/**
	 * Binds to another loopback address, for example {@code 127.0.0.2}.
	 */
	public RedisServerOptions withBindHost(String bindHost) {
		return new RedisServerOptions(bindHost, this.password, this.aclUser, this.aclPassword, this.persistence,
				this.extraConfig, this.tls);
	}

	/**
	 * Sets {@code requirepass} (the default user's password); the lab authenticates with it too.
	 */
	public RedisServerOptions withPassword(String password) {
		return new RedisServerOptions(this.bindHost, password, this.aclUser, this.aclPassword, this.persistence,
				this.extraConfig, this.tls);
	}

	/**
	 * Adds an ACL user with full access ({@code user <name> on >password ~* &* +@all}).
	 */
	public RedisServerOptions withAclUser(String user, String password) {
		return new RedisServerOptions(this.bindHost, this.password, user, password, this.persistence, this.extraConfig,
				this.tls);
	}

	/**
	 * Turns on {@code appendonly yes} with {@code appendfsync always}, so a killed and restarted server keeps every
	 * acknowledged write.
	 */
	public RedisServerOptions withPersistence() {
		return new RedisServerOptions(this.bindHost, this.password, this.aclUser, this.aclPassword, true,
				this.extraConfig, this.tls);
	}

	/**
	 * Appends raw {@code redis.conf} lines; they come last, so they override the lab's own settings.
	 */
	public RedisServerOptions withConfig(String... lines) {
		List<String> config = new ArrayList<>(this.extraConfig);
		config.addAll(Arrays.asList(lines));
		return new RedisServerOptions(this.bindHost, this.password, this.aclUser, this.aclPassword, this.persistence,
				config, this.tls);
	}

	/**
	 * Opens a TLS port (see {@link RedisServer#tlsPort()}) next to the plain one the lab uses for its own control.
	 */
	public RedisServerOptions withTls(LabTls tls) {
		return new RedisServerOptions(this.bindHost, this.password, this.aclUser, this.aclPassword, this.persistence,
				this.extraConfig, tls);
	}

	public @Nullable LabTls tls() {
		return this.tls;
	}

	public String bindHost() {
		return this.bindHost;
	}

	public @Nullable String password() {
		return this.password;
	}

	public @Nullable String aclUser() {
		return this.aclUser;
	}

	public @Nullable String aclPassword() {
		return this.aclPassword;
	}

	public boolean persistence() {
		return this.persistence;
	}

	public List<String> extraConfig() {
		return this.extraConfig;
	}

	/**
	 * The {@code redis.conf} lines these options stand for (no port, bind or dir: the lab adds those).
	 */
	List<String> toConfigLines() {
		List<String> lines = new ArrayList<>();
		if (this.persistence) {
			lines.add("appendonly yes");
			lines.add("appendfsync always");
		}
		if (this.password != null) {
			lines.add("requirepass " + RedisConfig.quote(this.password));
			// Replicas of a password-protected master need it too; harmless on a standalone.
			lines.add("masterauth " + RedisConfig.quote(this.password));
		}
		if (this.aclUser != null && this.aclPassword != null) {
			lines.add("user " + this.aclUser + " on >" + this.aclPassword + " ~* &* +@all");
		}
		lines.addAll(this.extraConfig);
		return lines;
	}

}
