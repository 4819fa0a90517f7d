package io.redisdiscovery.topology;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current topology of a {@link TopologySource} and tells listeners when its endpoints change.
 *
 * @since 0.1.0
 */
public abstract class AbstractTopologySource implements TopologySource {

	private static final Logger logger = LoggerFactory.getLogger(AbstractTopologySource.class);

	private final List<Consumer<TopologyChange>> listeners = new CopyOnWriteArrayList<>();

	private final Clock clock;

	private volatile RedisTopology current;

	/**
	 * Creates a source.
	 * @param initial the topology before the first discovery
	 * @param clock the clock for change times
	 */
	protected AbstractTopologySource(RedisTopology initial, Clock clock) {
		this.current = initial;
		this.clock = clock;
	}

	@Override
	public RedisTopology current() {
		return this.current;
	}

	@Override
	public void addListener(Consumer<TopologyChange> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Makes {@code next} the current topology and notifies listeners when its endpoints differ.
	 * @param next the new topology
	 * @param reason why it was discovered
	 * @return {@code next}
	 */
	protected RedisTopology publish(RedisTopology next, String reason) {
		RedisTopology before;
		synchronized (this) {
			before = this.current;
			this.current = next;
		}
		if (next.endpointsDifferFrom(before)) {
			TopologyChange change = new TopologyChange(before, next, reason, this.clock.instant());
			logger.info("Redis topology changed ({}): {}", reason, next.endpoints());
			for (Consumer<TopologyChange> listener : this.listeners) {
				try {
					listener.accept(change);
				}
				catch (RuntimeException ex) {
					logger.warn("Topology listener failed", ex);
				}
			}
		}
		return next;
	}

	/**
	 * The clock of this source.
	 * @return the clock
	 */
	protected Clock clock() {
		return this.clock;
	}

}
