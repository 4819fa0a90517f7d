package io.redisdiscovery.topology;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The most recent topology changes, newest first, bounded in size.
 *
 * @since 0.1.0
 */
public final class TopologyChangeLog implements Consumer<TopologyChange> {

	private final int capacity;

	private final Deque<TopologyChange> changes;

	private long total;

	/**
	 * Creates a log.
	 * @param capacity how many changes to keep
	 */
	public TopologyChangeLog(int capacity) {
		this.capacity = capacity;
		this.changes = new ArrayDeque<>(capacity);
	}

	@Override
	public synchronized void accept(TopologyChange change) {
		if (this.changes.size() == this.capacity) {
			this.changes.removeLast();
		}
		this.changes.addFirst(change);
		this.total++;
	}

	/**
	 * The kept changes.
	 * @return the changes, newest first
	 */
	public synchronized List<TopologyChange> recent() {
		return List.copyOf(this.changes);
	}

	/**
	 * How many changes were seen since startup, including those no longer kept.
	 * @return the count
	 */
	public synchronized long total() {
		return this.total;
	}

}
