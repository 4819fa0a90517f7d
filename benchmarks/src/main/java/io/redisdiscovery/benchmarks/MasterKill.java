package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * A replicated master killed with {@code kill -9}: the writes it acknowledged shortly before dying may not have
 * reached the replica that replaced it, so Redis itself can lose them.
 *
 * @param node the killed node, for the record
 * @param killedAtNanos {@link System#nanoTime()} once the process was gone
 * @param window how far back before the kill an acknowledged write may still be missing on the replicas
 * @param measuredLag how long the replicas took, just before the kill, to reach the master's replication offset
 * @param servedKey whether the killed node was the master of a key at the time
 */
record MasterKill(String node, long killedAtNanos, Duration window, Duration measuredLag, Predicate<String> servedKey) {

	/** Replication on loopback takes milliseconds; one second leaves room for a loaded, shared machine. */
	static final Duration MINIMUM_WINDOW = Duration.ofSeconds(1);

	static MasterKill of(String node, long killedAtNanos, Duration measuredLag, Predicate<String> servedKey) {
		Duration twiceTheLag = measuredLag.multipliedBy(2);
		Duration window = (twiceTheLag.compareTo(MINIMUM_WINDOW) > 0) ? twiceTheLag : MINIMUM_WINDOW;
		return new MasterKill(node, killedAtNanos, window, measuredLag, servedKey);
	}

	/**
	 * Whether Redis's asynchronous replication can explain the loss of a write to {@code key} whose {@code SET}
	 * started at {@code startedAtNanos}: this node served the key and the write started within the window before
	 * the kill (its acknowledgement, which follows its start, then came from this node at the latest at the kill).
	 */
	boolean explains(String key, long startedAtNanos) {
		return startedAtNanos <= this.killedAtNanos && this.killedAtNanos - startedAtNanos <= this.window.toNanos()
				&& this.servedKey.test(key);
	}

}
