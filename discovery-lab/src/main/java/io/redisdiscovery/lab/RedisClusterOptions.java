package io.redisdiscovery.lab;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Immutable options for a lab cluster: a password, announced addresses (for NAT and proxy tests) and extra config.
 */
public final class RedisClusterOptions {

	private final @Nullable String password;

	private final @Nullable Announcer announcer;

	private final List<String> extraConfig;

	private final @Nullable LabTls tls;

	private final @Nullable AclUser aclUser;

	private RedisClusterOptions(@Nullable String password, @Nullable Announcer announcer, List<String> extraConfig,
			@Nullable LabTls tls, @Nullable AclUser aclUser) {
		this.password = password;
		this.announcer = announcer;
		this.extraConfig = List.copyOf(extraConfig);
		this.tls = tls;
		this.aclUser = aclUser;
	}

	/**
	 * No password, nodes announce their real addresses, no extra config.
	 */
	public static RedisClusterOptions defaults() {
		return new RedisClusterOptions(null, null, List.of(), null, null);
	}

	/**
	 * Protects every node with {@code requirepass} and {@code masterauth}; the lab uses it for MIGRATE too.
	 */
	public RedisClusterOptions withPassword(String password) {
		return new RedisClusterOptions(password, this.announcer, this.extraConfig, this.tls, this.aclUser);
	}

	/**
	 * Makes nodes announce other addresses ({@code cluster-announce-ip}/{@code cluster-announce-port}) in
	 * {@code CLUSTER NODES}, {@code CLUSTER SLOTS} and redirections.
	 */
	public RedisClusterOptions withAnnouncer(Announcer announcer) {
		return new RedisClusterOptions(this.password, announcer, this.extraConfig, this.tls, this.aclUser);
	}

	/**
	 * Appends raw {@code redis.conf} lines to every node.
	 */
	public RedisClusterOptions withConfig(String... lines) {
		List<String> config = new ArrayList<>(this.extraConfig);
		config.addAll(Arrays.asList(lines));
		return new RedisClusterOptions(this.password, this.announcer, config, this.tls, this.aclUser);
	}

	/**
	 * Gives every node a TLS port with this material, with {@code tls-cluster} and {@code tls-replication}: the bus,
	 * replication and MIGRATE use TLS, and clients connected over TLS are given TLS ports. The plain ports stay open
	 * for the lab. Not combined with {@link #withAnnouncer}.
	 */
	public RedisClusterOptions withTls(LabTls tls) {
		return new RedisClusterOptions(this.password, this.announcer, this.extraConfig, tls, this.aclUser);
	}

	/**
	 * Adds an ACL user with full access on every node, for the application; the lab, the bus and replication keep
	 * using the default user (protect it with {@link #withPassword}).
	 */
	public RedisClusterOptions withAclUser(String user, String password) {
		return new RedisClusterOptions(this.password, this.announcer, this.extraConfig, this.tls,
				new AclUser(user, password));
	}

	public @Nullable AclUser aclUser() {
		return this.aclUser;
	}

	public @Nullable LabTls tls() {
		return this.tls;
	}

	public @Nullable String password() {
		return this.password;
	}

	public @Nullable Announcer announcer() {
		return this.announcer;
	}

	public List<String> extraConfig() {
		return this.extraConfig;
	}

	/**
	 * Chooses the address a cluster node announces instead of its real one.
	 */
	@FunctionalInterface
	public interface Announcer {

		/**
		 * Returns the address node number {@code nodeIndex} (masters first, then replicas) announces, or {@code null}
		 * to announce its real address.
		 * <p>
		 * Peers reach a node's cluster bus through its announced IP (at the real bus port), so the lab makes the node
		 * listen on that IP too, which must therefore be a loopback address (127.0.0.0/8). The announced port is only
		 * used by clients, typically through a {@link io.redisdiscovery.lab.proxy.TcpProxy} forwarding to the node.
		 */
		@Nullable InetSocketAddress announce(int nodeIndex, InetSocketAddress actual);

	}

}
