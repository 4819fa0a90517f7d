package io.redisdiscovery.sentinel;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.sentinel.SentinelStateHolder.Change;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what a {@link SentinelState} change adopted: publishes the topology around the master, moves the
 * application's connections when they point elsewhere, then releases writes held for a failover the new master
 * ends. One monitor keeps these in the order of the changes, so that a discovery which began before a followed
 * {@code +switch-master} cannot publish over it.
 */
final class MasterAdoption {

	// The source's category: adopting a master is part of its story.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final SentinelSettings settings;

	private final SentinelStateHolder state;

	private final SentinelTopologyDescriber describer;

	private final SentinelSubscriptions subscriptions;

	private final FailoverTracker failover;

	private final Supplier<RedisTopology> current;

	private final BiFunction<RedisTopology, String, RedisTopology> publisher;

	private final Clock clock;

	private final Object publishing = new Object();

	private volatile ConnectionMover connections = ConnectionMover.NONE;

	/**
	 * Creates an adoption.
	 * @param settings the master's name
	 * @param state the state the changes come from
	 * @param describer how to describe the topology
	 * @param subscriptions the subscriptions, for the details
	 * @param failover the failover to end
	 * @param current the topology published last
	 * @param publisher how to publish a topology, for a reason
	 * @param clock the clock
	 */
	MasterAdoption(SentinelSettings settings, SentinelStateHolder state, SentinelTopologyDescriber describer,
			SentinelSubscriptions subscriptions, FailoverTracker failover, Supplier<RedisTopology> current,
			BiFunction<RedisTopology, String, RedisTopology> publisher, Clock clock) {
		this.settings = settings;
		this.state = state;
		this.describer = describer;
		this.subscriptions = subscriptions;
		this.failover = failover;
		this.current = current;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Sets what moves the application's connections.
	 * @param connections the mover
	 */
	void bind(ConnectionMover connections) {
		this.connections = connections;
	}

	/**
	 * Carries out a change that may have adopted a master. Does nothing when it adopted nothing, or when a
	 * {@code +switch-master} was followed since: that one does it.
	 * @param change the change
	 * @param answer the answer that named the master
	 * @param answering the Sentinels that answered
	 * @param reason why, for the log and the topology change
	 * @return the topology now
	 */
	RedisTopology adopted(Change change, SentinelAnswer answer, List<RedisNode> answering, String reason) {
		RedisNode confirmed = answer.master();
		synchronized (this.publishing) {
			if (confirmed == null || change.after() == change.before()
					|| this.state.get().switchesFollowed() != change.after().switchesFollowed()) {
				return this.current.get();
			}
			KnownMaster previous = change.before().known();
			if (previous != null && !confirmed.equals(previous.node())) {
				logger.info("Master of '{}' is now {} (was {}; {})", this.settings.masterName(),
						change.after().known(), previous, reason);
			}
			RedisTopology topology = this.publisher.apply(this.describer.confirmed(confirmed, answer,
					details(answering, answer.sentinel()), this.clock.instant()), reason);
			RedisNode inUse = change.before().masterInUse();
			if (inUse != null && !inUse.equals(confirmed)) {
				moveConnections(inUse, confirmed);
			}
			if (this.failover.isHoldingWrites() && !confirmed.equals(this.failover.masterAtStart())) {
				this.failover.end("new master " + confirmed + " confirmed");
			}
			return topology;
		}
	}

	/**
	 * Publishes the last endpoints as stale after a discovery that confirmed no master, unless a
	 * {@code +switch-master} was followed since it began.
	 * @param answering the Sentinels that answered
	 * @param switchesAtStart {@link SentinelState#switchesFollowed()} when the discovery began
	 * @param reason why, for the topology change
	 * @return the topology now
	 */
	RedisTopology unconfirmed(List<RedisNode> answering, long switchesAtStart, String reason) {
		synchronized (this.publishing) {
			if (this.state.get().switchesFollowed() != switchesAtStart) {
				return this.current.get();
			}
			return this.publisher.apply(this.describer.unconfirmed(this.current.get(), details(answering, null)),
					reason);
		}
	}

	private void moveConnections(RedisNode from, RedisNode to) {
		logger.info("Moving connections of '{}' from {} to {}", this.settings.masterName(), from, to);
		try {
			this.connections.moveConnections();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not reset the connections of '{}'", this.settings.masterName(), ex);
		}
	}

	private Map<String, Object> details(List<RedisNode> answering, @Nullable RedisNode answeredBy) {
		return this.describer.details(this.state.get(), answering, answeredBy, this.subscriptions.subscribed(),
				this.failover.isInProgress());
	}

}
