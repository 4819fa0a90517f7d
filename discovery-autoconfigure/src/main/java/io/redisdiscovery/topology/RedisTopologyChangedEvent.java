package io.redisdiscovery.topology;

import org.springframework.context.ApplicationEvent;

/**
 * Published in the application context when the discovered Redis topology changes.
 *
 * @since 0.1.0
 */
public class RedisTopologyChangedEvent extends ApplicationEvent {

	private final TopologyChange change;

	/**
	 * Creates an event.
	 * @param source the topology source that saw the change
	 * @param change the change
	 */
	public RedisTopologyChangedEvent(TopologySource source, TopologyChange change) {
		super(source);
		this.change = change;
	}

	/**
	 * The change.
	 * @return the change, with the topology before and after and the reason
	 */
	public TopologyChange getChange() {
		return this.change;
	}

}
