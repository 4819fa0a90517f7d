package io.redisdiscovery.topology;

/**
 * Moves the application's connections to where the topology's resolver points now: the shared connection, the pooled
 * ones and the Pub/Sub subscriptions. The connection factory provides it and every {@link TopologySource} gets it
 * through {@link TopologySource#bind(ConnectionMover)}, whatever the mode and whoever wrote the source.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConnectionMover {

	/** Moves nothing: what a source has before it is bound. */
	ConnectionMover NONE = () -> {
	};

	/**
	 * Moves the connections; returns without waiting for the new ones to be established. Commands in flight on the
	 * old connections either complete (where the factory drains) or fail as if the connection had dropped, and are
	 * retried where that is safe.
	 */
	void moveConnections();

}
