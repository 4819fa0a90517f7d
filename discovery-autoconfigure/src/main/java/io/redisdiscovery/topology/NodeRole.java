package io.redisdiscovery.topology;

import java.util.Locale;

/**
 * The role a node reported for itself.
 *
 * @since 0.1.0
 */
public enum NodeRole {

	/** Accepts writes. */
	MASTER,

	/** Replicates a master; rejects writes with {@code READONLY}. */
	REPLICA,

	/** A Sentinel or a Sentinel-like discovery service. */
	SENTINEL,

	/** Not known yet, or the node could not be asked. */
	UNKNOWN;

	/**
	 * Maps the first element of a {@code ROLE} reply.
	 * @param role the reply, for example {@code master} or {@code slave}
	 * @return the role
	 */
	public static NodeRole fromRoleReply(String role) {
		return switch (role.toLowerCase(Locale.ROOT)) {
			case "master" -> MASTER;
			case "slave", "replica" -> REPLICA;
			case "sentinel" -> SENTINEL;
			default -> UNKNOWN;
		};
	}

}
