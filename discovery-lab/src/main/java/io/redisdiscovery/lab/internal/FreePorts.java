package io.redisdiscovery.lab.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.redisdiscovery.lab.RedisLabException;

/**
 * Picks TCP ports that are free right now on a loopback address, never handing out the same port twice in one JVM.
 */
public final class FreePorts {

	/** Redis Cluster's bus listens on the client port + 10000 unless configured otherwise. */
	public static final int CLUSTER_BUS_OFFSET = 10000;

	// All ranges stay below the Linux (32768+) and macOS (49152+) ephemeral ranges, so an outgoing client socket never
	// grabs a port the lab needs again later: a proxy that listens again, a node that restarts on its port.
	private static final int CLUSTER_LOWEST = 20000;

	private static final int CLUSTER_HIGHEST = 22500;

	private static final int LOWEST = 22500;

	private static final int HIGHEST = 30000;

	private static final int ATTEMPTS = 500;

	private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

	private FreePorts() {
	}

	/**
	 * Returns a port that is free on {@code host}.
	 */
	public static int pick(String host) {
		return pick(host, LOWEST, HIGHEST, false);
	}

	/**
	 * Returns a port that is free on {@code host} and whose cluster bus port ({@code port + 10000}) is free too.
	 */
	public static int pickWithClusterBus(String host) {
		return pick(host, CLUSTER_LOWEST, CLUSTER_HIGHEST, true);
	}

	/**
	 * Returns a port that is free on every one of {@code hosts}, for servers on several loopback addresses that
	 * share one port (a DNS name's proxies).
	 */
	public static int pickOnAll(List<String> hosts) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = pick(hosts.get(0));
			if (hosts.stream().allMatch((host) -> isFree(host, port))) {
				return port;
			}
		}
		throw new RedisLabException("No port is free on all of " + hosts);
	}

	/**
	 * Tells whether a listener could bind {@code host:port} right now.
	 */
	public static boolean isFree(String host, int port) {
		try (ServerSocket socket = new ServerSocket()) {
			// Same option Redis uses, so TIME_WAIT leftovers do not make a usable port look busy.
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(host, port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int pick(String host, int lowest, int highest, boolean withBus) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			if (attempt == ATTEMPTS / 2) {
				// A long-lived JVM may have used up the range; ports of stopped servers are free again by now.
				handedOut.clear();
			}
			int port = ThreadLocalRandom.current().nextInt(lowest, highest);
			if (handedOut.contains(port)) {
				continue;
			}
			if (isFree(host, port) && (!withBus || isFree(host, port + CLUSTER_BUS_OFFSET)) && handedOut.add(port)) {
				return port;
			}
		}
		throw new RedisLabException("Found no free port on " + host + " between " + lowest + " and " + highest);
	}

}
