package io.redisdiscovery.sentinel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.retry.CauseChain;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.WriteGuard;
import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.sentinel.SentinelStateHolder.Change;
import io.redisdiscovery.topology.AbstractTopologySource;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master through Sentinels, confirms its role, and follows failovers: as soon as a Sentinel announces
 * one (pub/sub: the promotion, else the switch), on {@code READONLY} replies, and by a periodic check for when no
 * event arrives.
 * <p>
 * What the source knows is one {@link SentinelState} value, changed only by pure transitions applied atomically in
 * {@link SentinelStateHolder}. An atomic value rather than a serial event loop because the changes come from
 * threads that must not wait for each other: a Lettuce I/O thread starts the write hold on a failover event at
 * once, the switch follower adopts an announced master while the watcher may be stuck probing the master that
 * hung, and a {@code READONLY} reply rediscovers on the caller's thread before its retry. A loop would make each of
 * them hand its network calls elsewhere and wait for the loop, and would deadlock when a topology listener calls
 * back into the source. The rule that a discovery which began before a followed {@code +switch-master} must not
 * undo it is part of the transitions ({@link SentinelState#discovered} compares switch counts); only the effects of
 * an adoption (publishing, moving connections) keep a monitor, in {@link MasterAdoption}, so that they follow the
 * order of the changes.
 * <p>
 * This class dispatches and discovers; describing is {@link SentinelTopologyDescriber}'s job, subscribing
 * {@link SentinelSubscriptions}', failover tracking {@link FailoverTracker}'s, following {@code +switch-master}
 * {@link SwitchFollower}'s, confirming a master {@link MasterConfirmation}'s, carrying out an adoption
 * {@link MasterAdoption}'s, and deciding when a discovery runs {@link RefreshGate}'s.
 *
 * @since 0.1.0
 */
public class SentinelTopologySource extends AbstractTopologySource {

	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final SentinelSettings settings;

	private final SentinelClient client;

	private final FailoverWriteGuard writeGuard;

	private final SocketAddressResolver addressResolver;

	private final SentinelStateHolder state = new SentinelStateHolder();

	private final SentinelPoll poll;

	private final SentinelTopologyDescriber describer;

	private final SentinelSubscriptions subscriptions;

	private final MasterConfirmation confirmation;

	private final FailoverTracker failover;

	private final RefreshGate gate;

	private final SentinelThreads threads;

	private final MasterAdoption adoption;

	private final SwitchFollower switches;

	private volatile boolean closed;

	/**
	 * Creates a source; {@link #start(boolean)} makes the first discovery and starts watching.
	 * @param settings what to watch
	 * @param client how to talk to Sentinels and data nodes
	 * @param writeGuard what holds writes during failovers
	 * @param delegateResolver how addresses other than the logical master are resolved
	 * @param clock the clock
	 */
	public SentinelTopologySource(SentinelSettings settings, SentinelClient client, FailoverWriteGuard writeGuard,
			SocketAddressResolver delegateResolver, Clock clock) {
		super(SentinelTopologyDescriber.initial(settings), clock);
		this.settings = settings;
		this.client = client;
		this.writeGuard = writeGuard;
		this.addressResolver = new SentinelAddressResolver(settings.logicalMasterHost(), delegateResolver,
				this::nodeForLogicalHost);
		this.poll = new SentinelPoll(client, settings);
		this.describer = new SentinelTopologyDescriber(settings);
		this.subscriptions = new SentinelSubscriptions(settings, client, this::onEvent, () -> this.closed);
		this.confirmation = new MasterConfirmation(settings, client, () -> this.closed);
		this.failover = new FailoverTracker(settings.masterName(), writeGuard, this.state);
		this.gate = new RefreshGate(settings);
		this.threads = new SentinelThreads(settings.masterName());
		this.adoption = new MasterAdoption(settings, this.state, this.describer, this.subscriptions, this.failover,
				this::current, this::publish, clock);
		this.switches = new SwitchFollower(settings, client, this.state, this.confirmation, this.failover,
				this.adoption, this.gate, this::refresh);
	}

	/**
	 * Discovers the master, subscribes to every reachable Sentinel and schedules the periodic check.
	 * @param failFast whether to throw when no master is confirmed
	 * @throws SentinelMasterUnavailableException when failing fast and no Sentinel named a reachable master
	 */
	public void start(boolean failFast) {
		refresh("startup");
		SentinelState started = this.state.get();
		if (started.known() == null) {
			if (failFast) {
				close();
				throw new SentinelMasterUnavailableException(this.settings.masterName(), started.lastProblems());
			}
			logger.warn("No Sentinel named a reachable master for '{}' yet; will keep asking: {}",
					this.settings.masterName(), started.lastProblems());
		}
		maintainSubscriptions();
		this.threads.every(this.settings.checkInterval(), this::periodicCheck);
	}

	/**
	 * Moves the connections when the master moves, before held writes are released.
	 */
	@Override
	public void bind(ConnectionMover connections) {
		this.adoption.bind(connections);
	}

	@Override
	public SocketAddressResolver addressResolver() {
		return this.addressResolver;
	}

	@Override
	public WriteGuard writeGuard() {
		return this.writeGuard;
	}

	@Override
	public RedisTopology refresh(String reason) {
		RedisTopology discovered = this.gate.run(() -> discover(reason));
		return (discovered != null) ? discovered : current();
	}

	@Override
	public void onCommandFailure(FailureKind kind, Throwable failure) {
		if (this.closed) {
			return;
		}
		if (kind == FailureKind.REJECTED_BY_SERVER && isReadOnlyReply(failure)) {
			// The node we write to was demoted: find the master and move before the retry.
			this.gate.runUnlessRanMeanwhile(() -> discover("READONLY reply"));
		}
		else if (kind == FailureKind.NOT_SENT || kind == FailureKind.MAYBE_SENT) {
			requestRefresh("command failure");
		}
	}

	/**
	 * Queues a discovery for a command failure: failures that arrive before it starts share it, and it starts no
	 * sooner than {@code refresh-min-interval} after the previous discovery began.
	 */
	private void requestRefresh(String reason) {
		long delayNanos = this.gate.queue();
		if (delayNanos < 0) {
			return;
		}
		this.threads.later(delayNanos, () -> {
			this.gate.dequeue();
			try {
				refresh(reason);
			}
			catch (RuntimeException ex) {
				logger.warn("Sentinel discovery of '{}' failed", this.settings.masterName(), ex);
			}
		});
	}

	private RedisTopology discover(String reason) {
		long switchesAtStart = this.state.get().switchesFollowed();
		SentinelPoll.Round round = this.poll.askAll();
		List<RedisNode> answering = round.answering();
		List<String> problems = new ArrayList<>(round.problems());
		RedisNode failingOver = this.failover.isHoldingWrites() ? this.failover.masterAtStart() : null;
		// Reported even when a newer answer is adopted first: a Sentinel that is behind is worth seeing.
		KnownMaster inUse = this.state.get().known();
		KnownMaster judged = MasterSelection.judgedAgainst(inUse, round.answers(), this.settings.sentinels().size());
		if (judged != inUse) {
			logger.warn("The Sentinels of '{}' give config-epochs all lower than that of the master in use, {}: "
					+ "they were set up afresh, so their epochs count again from there", this.settings.masterName(),
					inUse);
			this.state.update((state) -> state.judged(inUse, judged));
		}
		SentinelAnswer confirmed = this.confirmation.firstConfirmed(round.answers(), judged, failingOver, problems);
		this.state.update((state) -> state.withProblems(problems));
		if (confirmed != null && confirmed.master() != null) {
			RedisNode master = confirmed.master();
			Change change = this.state
				.update((state) -> state.discovered(master, confirmed.configEpoch(), switchesAtStart));
			return this.adoption.adopted(change, confirmed, answering, reason);
		}
		if (!problems.isEmpty()) {
			logger.debug("Sentinel discovery for '{}' found no confirmed master ({}): {}", this.settings.masterName(),
					reason, problems);
		}
		return this.adoption.unconfirmed(answering, switchesAtStart, reason);
	}

	/**
	 * The node a logical host stands for now: the master, or for a replica slot one of the healthy replicas
	 * (the master while there is none).
	 */
	private @Nullable RedisNode nodeForLogicalHost(String host) {
		RedisNode current = this.state.get().master();
		int slot = this.settings.replicaSlotOf(host);
		if (slot < 0) {
			this.state.update((state) -> state.connectedTo(current));
			return current;
		}
		List<RedisNode> replicas = current().endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.REPLICA && endpoint.reachable())
			.map(TopologyEndpoint::node)
			.toList();
		return replicas.isEmpty() ? current : replicas.get(slot % replicas.size());
	}

	/**
	 * Whether Sentinel considers a replica usable.
	 * @see SentinelTopologyDescriber#isHealthy(String, String)
	 */
	static boolean isHealthy(String flags, String masterLinkStatus) {
		return SentinelTopologyDescriber.isHealthy(flags, masterLinkStatus);
	}

	private void periodicCheck() {
		try {
			maintainSubscriptions();
			refresh("periodic check");
		}
		catch (RuntimeException ex) {
			logger.warn("Periodic Sentinel check of '{}' failed", this.settings.masterName(), ex);
		}
	}

	private void maintainSubscriptions() {
		if (this.subscriptions.maintain()) {
			publish(this.describer.subscribed(current(), this.subscriptions.subscribed()), "subscribed");
		}
	}

	/**
	 * Called on a Lettuce I/O thread: the hold starts here at once, everything that talks to the network runs on
	 * the watcher or the switch follower.
	 */
	void onEvent(RedisNode sentinel, SentinelEvent event) {
		if (this.closed || !event.masterName().equals(this.settings.masterName())) {
			return;
		}
		switch (event.kind()) {
			case FAILOVER_STARTED -> {
				RedisNode current = this.state.get().master();
				if (current != null && event.master() != null && !current.equals(event.master())) {
					// A late event about a master we already left (another Sentinel's lost election): nothing to hold.
					return;
				}
				this.failover.startedBy(sentinel, event.channel());
			}
			case SWITCH_MASTER, REPLICA_PROMOTED -> {
				if (event.kind() == SentinelEvent.Kind.SWITCH_MASTER) {
					Instant at = clock().instant();
					this.state.update((state) -> state.switchAnnounced(at));
				}
				// The promotion is followed like the switch it leads to, which comes 100 ms or more later: writes held
				// for the failover go to the new master as soon as it is one.
				RedisNode announced = event.newMaster();
				if (announced != null) {
					this.threads.onSwitchFollower(
							() -> this.switches.follow(sentinel, event.channel(), event.master(), announced));
				}
			}
			case FAILOVER_ABORTED -> {
				if (this.failover.givenUpBy(sentinel)) {
					this.threads.onWatcher(() -> {
						refresh("failover aborted");
						this.failover.end("Sentinel " + sentinel + " gave up the failover");
					});
				}
			}
			case FAILOVER_ENDED -> {
				// The leader announces +switch-master right after; that is when the new master is known.
			}
		}
	}

	private static boolean isReadOnlyReply(Throwable failure) {
		return CauseChain.anyMatch(failure, (current) -> current.getMessage() != null
				&& current.getMessage().toUpperCase(Locale.ROOT).startsWith("READONLY"));
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.threads.close(this.settings.timeout().multipliedBy(2));
		this.poll.close();
		this.subscriptions.close();
		this.writeGuard.release();
		this.client.close();
	}

	@Override
	public String toString() {
		return "SentinelTopologySource[" + this.settings.masterName() + ", sentinels " + this.settings.sentinels()
				+ "]";
	}

}
