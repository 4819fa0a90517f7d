package io.redisdiscovery.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code redis.conf} lines every lab node shares.
 */
final class RedisConfig {

	private RedisConfig() {
	}

	/**
	 * Lines for a data node (standalone, replica or cluster node) listening on {@code port}.
	 */
	static List<String> dataNode(int port, List<String> bindHosts, Path directory) {
		List<String> lines = common(port, bindHosts, directory);
		// No RDB snapshots: persistence, when wanted, is AOF with fsync always.
		lines.add("save \"\"");
		lines.add("appendonly no");
		// Full syncs start at once instead of waiting 5 s for more replicas (the Redis 7 default).
		lines.add("repl-diskless-sync yes");
		lines.add("repl-diskless-sync-delay 0");
		return lines;
	}

	/**
	 * Lines for a Sentinel listening on {@code port}.
	 */
	static List<String> sentinel(int port, List<String> bindHosts, Path directory) {
		return common(port, bindHosts, directory);
	}

	private static List<String> common(int port, List<String> bindHosts, Path directory) {
		List<String> lines = new ArrayList<>();
		lines.add("port " + port);
		lines.add("bind " + String.join(" ", bindHosts));
		lines.add("protected-mode no");
		lines.add("daemonize no");
		lines.add("dir " + quote(directory.toAbsolutePath().toString()));
		// Log to stdout, which the lab redirects to a file: early config errors land in the same place.
		lines.add("logfile \"\"");
		return lines;
	}

	static String quote(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
