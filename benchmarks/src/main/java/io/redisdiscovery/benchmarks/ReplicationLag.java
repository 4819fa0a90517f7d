package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.redisdiscovery.lab.RedisServer;

/**
 * Measures how far replicas trail their master right now: the time until every replica has processed the
 * replication offset the master reported at the start.
 */
final class ReplicationLag {

	private static final Duration LIMIT = Duration.ofSeconds(5);

	private ReplicationLag() {
	}

	/**
	 * Measures the lag, polling every millisecond.
	 * @param master the master
	 * @param replicas its replicas
	 * @return the lag, or the 5 s limit if a replica did not catch up within it
	 */
	static Duration measure(RedisServer master, List<RedisServer> replicas) throws InterruptedException {
		long started = System.nanoTime();
		long target = offset(master, "master_repl_offset");
		for (RedisServer replica : replicas) {
			while (offset(replica, "slave_repl_offset") < target) {
				if (System.nanoTime() - started > LIMIT.toNanos()) {
					return LIMIT;
				}
				Thread.sleep(1);
			}
		}
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private static long offset(RedisServer server, String field) {
		return Long.parseLong(Objects.requireNonNull(server.infoValue("replication", field),
				() -> server + " reports no " + field));
	}

}
