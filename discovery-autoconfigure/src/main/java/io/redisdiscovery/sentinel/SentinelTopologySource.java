package io.redisdiscovery.sentinel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.retry.CauseChain;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.WriteGuard;
import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.AbstractTopologySource;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.FailureDescriptions;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master through Sentinels, confirms its role, and follows failovers: as soon as a Sentinel announces
 * one (pub/sub), on {@code READONLY} replies, and by a periodic check for when no event arrives.
 *
 * @since 0.1.0
 */
public class SentinelTopologySource extends AbstractTopologySource {

	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private static final DiscoveryMode MODE = DiscoveryMode.SENTINEL;

	private final SentinelSettings settings;

	private final SentinelClient client;

	private final SentinelPoll poll;

	private final DiscoveryPacer pacer;

	private final FailoverWriteGuard writeGuard;

	private final SocketAddressResolver addressResolver;

	private final ScheduledExecutorService watcher;

	/** Follows +switch-master apart from the watcher, which may be stuck probing the master that hung. */
	private final ExecutorService switchFollower;

	private final Map<RedisNode, StatefulRedisPubSubConnection<String, String>> subscriptions = new ConcurrentHashMap<>();

	private final FailoverTracker failover;

	private final ReentrantLock refreshLock = new ReentrantLock();

	private final AtomicLong completedRefreshes = new AtomicLong();

	private final AtomicBoolean refreshQueued = new AtomicBoolean();

	/** Guards adoption of a master, so a discovery that began before a followed switch cannot undo it. */
	private final Object adoption = new Object();

	private long switchesFollowed;

	/** Changed only under {@link #adoption}. */
	private volatile @Nullable KnownMaster known;

	private volatile @Nullable RedisNode masterInUse;

	private volatile ConnectionMover connections = ConnectionMover.NONE;

	private volatile @Nullable Instant lastSwitchMaster;

	private volatile List<String> lastProblems = List.of();

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
		super(new RedisTopology(MODE, List.of(), Map.of("master", settings.masterName()), null, true), clock);
		this.settings = settings;
		this.client = client;
		this.poll = new SentinelPoll(client, settings);
		this.pacer = new DiscoveryPacer(settings.refreshMinInterval(), System::nanoTime);
		this.writeGuard = writeGuard;
		this.failover = new FailoverTracker(settings.masterName(), writeGuard);
		this.addressResolver = new SentinelAddressResolver(settings.logicalMasterHost(), delegateResolver,
				this::nodeForLogicalHost);
		this.watcher = Executors.newSingleThreadScheduledExecutor(daemon("redis-discovery-sentinel-"));
		this.switchFollower = Executors.newSingleThreadExecutor(daemon("redis-discovery-sentinel-switch-"));
	}

	private ThreadFactory daemon(String prefix) {
		return (task) -> {
			Thread thread = new Thread(task, prefix + this.settings.masterName());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Discovers the master, subscribes to every reachable Sentinel and schedules the periodic check.
	 * @param failFast whether to throw when no master is confirmed
	 * @throws SentinelMasterUnavailableException when failing fast and no Sentinel named a reachable master
	 */
	public void start(boolean failFast) {
		refresh("startup");
		if (this.known == null) {
			if (failFast) {
				close();
				throw new SentinelMasterUnavailableException(this.settings.masterName(), this.lastProblems);
			}
			logger.warn("No Sentinel named a reachable master for '{}' yet; will keep asking: {}",
					this.settings.masterName(), this.lastProblems);
		}
		maintainSubscriptions();
		long period = this.settings.checkInterval().toMillis();
		this.watcher.scheduleWithFixedDelay(this::periodicCheck, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Moves the connections when the master moves, before held writes are released.
	 */
	@Override
	public void bind(ConnectionMover connections) {
		this.connections = connections;
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
		if (!lockForRefresh()) {
			return current();
		}
		try {
			return discover(reason);
		}
		finally {
			this.completedRefreshes.incrementAndGet();
			this.refreshLock.unlock();
		}
	}

	@Override
	public void onCommandFailure(FailureKind kind, Throwable failure) {
		if (this.closed) {
			return;
		}
		if (kind == FailureKind.REJECTED_BY_SERVER && isReadOnlyReply(failure)) {
			// The node we write to was demoted: find the master and move before the retry.
			refreshUnlessRefreshedMeanwhile("READONLY reply");
		}
		else if (kind == FailureKind.NOT_SENT || kind == FailureKind.MAYBE_SENT) {
			requestRefresh("command failure");
		}
	}

	private void refreshUnlessRefreshedMeanwhile(String reason) {
		long seen = this.completedRefreshes.get();
		if (!lockForRefresh()) {
			return;
		}
		try {
			if (this.completedRefreshes.get() == seen) {
				discover(reason);
			}
		}
		finally {
			this.completedRefreshes.incrementAndGet();
			this.refreshLock.unlock();
		}
	}

	private boolean lockForRefresh() {
		try {
			// A refresh asks each Sentinel with its own timeouts; waiting for a slow one in front is bounded too.
			long bound = this.settings.timeout().toMillis() * (2L * this.settings.sentinels().size() + 2);
			return this.refreshLock.tryLock(bound, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Queues a discovery for a command failure: failures that arrive before it starts share it, and it starts no
	 * sooner than {@code refresh-min-interval} after the previous discovery began.
	 */
	private void requestRefresh(String reason) {
		if (!this.refreshQueued.compareAndSet(false, true)) {
			return;
		}
		try {
			this.watcher.schedule(() -> {
				this.refreshQueued.set(false);
				try {
					refresh(reason);
				}
				catch (RuntimeException ex) {
					logger.warn("Sentinel discovery of '{}' failed", this.settings.masterName(), ex);
				}
			}, this.pacer.delayNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to follow.
		}
	}

	private RedisTopology discover(String reason) {
		this.pacer.discoveryStarted();
		long switchesBefore = switchesFollowed();
		SentinelPoll.Round round = this.poll.askAll();
		List<RedisNode> answering = round.answering();
		List<String> problems = new ArrayList<>(round.problems());
		// Each candidate is probed once per discovery: a hung node would otherwise cost a timeout per Sentinel.
		Map<RedisNode, NodeRole> roles = new HashMap<>();
		RedisNode failingOver = this.writeGuard.isHoldingWrites() ? this.failover.masterAtStart() : null;
		// Reported even when a newer answer is adopted first: a Sentinel that is behind is worth seeing.
		KnownMaster inUse = this.known;
		KnownMaster judged = MasterSelection.judgedAgainst(inUse, round.answers(), this.settings.sentinels().size());
		if (judged != inUse) {
			logger.warn("The Sentinels of '{}' give config-epochs all lower than that of the master in use, {}: "
					+ "they were set up afresh, so their epochs count again from there", this.settings.masterName(),
					inUse);
			synchronized (this.adoption) {
				if (this.known == inUse) {
					this.known = judged;
				}
			}
		}
		Map<SentinelAnswer, String> refused = MasterSelection.refusals(judged, round.answers());
		problems.addAll(refused.values());
		for (SentinelAnswer answer : MasterSelection.newestFirst(round.answers())) {
			if (this.closed) {
				break;
			}
			RedisNode sentinel = answer.sentinel();
			RedisNode candidate = answer.master();
			if (candidate == null) {
				problems.add("Sentinel " + sentinel + " does not know master '" + this.settings.masterName() + "'");
				continue;
			}
			if (refused.containsKey(answer)) {
				// Not even probed: an old master answers ROLE master until Sentinel demotes it.
				continue;
			}
			if (candidate.equals(failingOver)) {
				// Probing the master being replaced could hang for a timeout while +switch-master waits behind it.
				problems.add("Sentinel " + sentinel + " still names " + candidate + ", whose failover is in progress");
				continue;
			}
			NodeRole role = roles.computeIfAbsent(candidate, (node) -> roleOf(node, problems));
			if (role == NodeRole.MASTER) {
				this.lastProblems = List.copyOf(problems);
				synchronized (this.adoption) {
					return (this.switchesFollowed != switchesBefore) ? current() : adopt(answer, answering, reason);
				}
			}
			if (role != NodeRole.UNKNOWN) {
				problems.add("Sentinel " + sentinel + " names " + candidate + ", whose role is " + role);
			}
		}
		this.lastProblems = List.copyOf(problems);
		if (!problems.isEmpty()) {
			logger.debug("Sentinel discovery for '{}' found no confirmed master ({}): {}", this.settings.masterName(),
					reason, problems);
		}
		synchronized (this.adoption) {
			RedisTopology last = current();
			if (this.switchesFollowed != switchesBefore) {
				return last;
			}
			return publish(new RedisTopology(MODE, last.endpoints(), details(answering, null), last.discoveredAt(),
					true), reason);
		}
	}

	private long switchesFollowed() {
		synchronized (this.adoption) {
			return this.switchesFollowed;
		}
	}

	private NodeRole roleOf(RedisNode node, List<String> problems) {
		try {
			return this.client.role(node);
		}
		catch (RuntimeException ex) {
			problems.add("master candidate " + node + " unreachable (" + FailureDescriptions.rootCause(ex) + ")");
			return NodeRole.UNKNOWN;
		}
	}

	/**
	 * Makes a confirmed master current; moves the application's connections when they point elsewhere, then
	 * releases held writes if the master changed since the failover began. Called holding {@link #adoption}.
	 */
	private RedisTopology adopt(SentinelAnswer answer, List<RedisNode> answering, String reason) {
		RedisNode confirmed = answer.master();
		if (confirmed == null) {
			return current();
		}
		KnownMaster previous = this.known;
		KnownMaster next = KnownMaster.after(previous, confirmed, answer.configEpoch());
		this.known = next;
		if (previous != null && !confirmed.equals(previous.node())) {
			logger.info("Master of '{}' is now {} (was {}; {})", this.settings.masterName(), next, previous, reason);
		}
		RedisTopology topology = publish(new RedisTopology(MODE, endpoints(confirmed, answer), details(answering,
				answer.sentinel()), clock().instant(), false), reason);
		RedisNode inUse = this.masterInUse;
		if (inUse != null && !inUse.equals(confirmed)) {
			this.masterInUse = confirmed;
			moveConnections(inUse, confirmed);
		}
		if (this.writeGuard.isHoldingWrites() && !confirmed.equals(this.failover.masterAtStart())) {
			endFailover("new master " + confirmed + " confirmed");
		}
		return topology;
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

	private void endFailover(String why) {
		this.failover.ended();
		if (this.writeGuard.isHoldingWrites()) {
			logger.info("Releasing writes held for the failover of '{}': {}", this.settings.masterName(), why);
		}
		this.writeGuard.release();
	}

	/**
	 * The node a logical host stands for now: the master, or for a replica slot one of the healthy replicas
	 * (the master while there is none).
	 */
	private @Nullable RedisNode nodeForLogicalHost(String host) {
		RedisNode current = master();
		int slot = this.settings.replicaSlotOf(host);
		if (slot < 0) {
			this.masterInUse = current;
			return current;
		}
		List<RedisNode> replicas = current()
			.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.REPLICA && endpoint.reachable())
			.map(TopologyEndpoint::node)
			.toList();
		return replicas.isEmpty() ? current : replicas.get(slot % replicas.size());
	}

	private List<TopologyEndpoint> endpoints(RedisNode confirmed, SentinelAnswer answer) {
		List<TopologyEndpoint> endpoints = new ArrayList<>();
		endpoints.add(new TopologyEndpoint(confirmed, NodeRole.MASTER, true, true,
				Map.of("reportedBy", answer.sentinel().toString(), "roleConfirmed", true)));
		for (Map<String, String> replica : answer.replicas()) {
			RedisNode node = replicaNode(replica);
			if (node == null || node.equals(confirmed)) {
				continue;
			}
			String flags = replica.getOrDefault("flags", "");
			String link = replica.getOrDefault("master-link-status", "unknown");
			boolean healthy = isHealthy(flags, link);
			endpoints.add(new TopologyEndpoint(node, NodeRole.REPLICA, healthy,
					healthy && this.settings.readsFromReplicas(), Map.of("flags", flags, "masterLinkStatus", link)));
		}
		return endpoints;
	}

	/**
	 * Whether Sentinel considers a replica usable: not subjectively or objectively down, not disconnected, and
	 * its replication link up.
	 */
	static boolean isHealthy(String flags, String masterLinkStatus) {
		for (String flag : flags.split(",")) {
			if (flag.equals("s_down") || flag.equals("o_down") || flag.equals("disconnected")) {
				return false;
			}
		}
		return masterLinkStatus.equalsIgnoreCase("ok");
	}

	private static @Nullable RedisNode replicaNode(Map<String, String> replica) {
		try {
			return new RedisNode(replica.getOrDefault("ip", ""), Integer.parseInt(replica.getOrDefault("port", "")));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private Map<String, Object> details(List<RedisNode> answering, @Nullable RedisNode answeredBy) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("master", this.settings.masterName());
		details.put("readFrom", this.settings.readsFromReplicas() ? "replicas" : "master");
		details.put("sentinelsConfigured", this.settings.sentinels().stream().map(RedisNode::toString).toList());
		details.put("sentinelsAnswering", answering.stream().map(RedisNode::toString).toList());
		details.put("sentinelsSubscribed", subscribedSentinels());
		if (answeredBy != null) {
			details.put("answeredBy", answeredBy.toString());
		}
		KnownMaster inUse = this.known;
		if (inUse != null && inUse.configEpoch() != null) {
			details.put("configEpoch", inUse.configEpoch());
		}
		Instant switched = this.lastSwitchMaster;
		if (switched != null) {
			details.put("lastSwitchMaster", switched.toString());
		}
		details.put("failoverInProgress", this.writeGuard.isHoldingWrites() || this.failover.isReported());
		if (!this.lastProblems.isEmpty()) {
			details.put("problems", this.lastProblems);
		}
		return details;
	}

	private List<String> subscribedSentinels() {
		return this.subscriptions.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isOpen())
			.map((entry) -> entry.getKey().toString())
			.sorted()
			.toList();
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

	/**
	 * Subscribes to every configured Sentinel that has no subscription yet; established subscriptions reconnect
	 * and resubscribe by themselves when their Sentinel restarts.
	 */
	private void maintainSubscriptions() {
		int before = this.subscriptions.size();
		for (RedisNode sentinel : this.settings.sentinels()) {
			if (this.closed || this.subscriptions.containsKey(sentinel)) {
				continue;
			}
			try {
				StatefulRedisPubSubConnection<String, String> connection = this.client.subscribe(sentinel,
						new EventListener(sentinel));
				this.subscriptions.put(sentinel, connection);
				logger.debug("Subscribed to failover events of Sentinel {}", sentinel);
			}
			catch (RuntimeException ex) {
				logger.debug("Cannot subscribe to Sentinel {} yet: {}", sentinel, FailureDescriptions.rootCause(ex));
			}
		}
		if (this.subscriptions.size() != before) {
			RedisTopology last = current();
			Map<String, Object> details = new LinkedHashMap<>(last.details());
			details.put("sentinelsSubscribed", subscribedSentinels());
			publish(new RedisTopology(MODE, last.endpoints(), details, last.discoveredAt(), last.stale()),
					"subscribed");
		}
	}

	/**
	 * Called on a Lettuce I/O thread: the hold starts here at once, everything that talks to the network runs on
	 * the watcher thread.
	 */
	void onEvent(RedisNode sentinel, SentinelEvent event) {
		if (this.closed || !event.masterName().equals(this.settings.masterName())) {
			return;
		}
		switch (event.kind()) {
			case FAILOVER_STARTED -> {
				RedisNode current = master();
				if (current != null && event.master() != null && !current.equals(event.master())) {
					// A late event about a master we already left (another Sentinel's lost election): nothing to hold.
					return;
				}
				// Recorded before the hold starts: a discovery that sees the hold must also see where it began.
				this.failover.startedBy(sentinel, event.channel(), master());
				this.writeGuard.hold();
			}
			case SWITCH_MASTER -> {
				this.lastSwitchMaster = clock().instant();
				RedisNode announced = event.newMaster();
				if (announced != null) {
					submit(this.switchFollower, () -> followSwitch(sentinel, event.master(), announced));
				}
			}
			case FAILOVER_ABORTED -> {
				if (this.failover.givenUpBy(sentinel)) {
					submit(() -> {
						refresh("failover aborted");
						endFailover("Sentinel " + sentinel + " gave up the failover");
					});
				}
			}
			case FAILOVER_ENDED -> {
				// The leader announces +switch-master right after; that is when the new master is known.
			}
		}
	}

	private @Nullable RedisNode master() {
		KnownMaster current = this.known;
		return (current != null) ? current.node() : null;
	}

	/**
	 * Adopts the announced master once it confirms its role, without waiting for a discovery in progress: that one
	 * may be stuck on the master that hung, and what it finds afterwards is not adopted. A duplicate is dropped; a
	 * switch away from a master other than the one in use (late, or after a switch that was missed) is left to a
	 * discovery, whose epochs tell which.
	 */
	private void followSwitch(RedisNode sentinel, @Nullable RedisNode from, RedisNode announced) {
		KnownMaster before = this.known;
		switch (MasterSelection.onSwitch(before, from, announced)) {
			case ALREADY_THERE -> {
				logger.debug("Sentinel {} announced {} for '{}', already in use", sentinel, announced,
						this.settings.masterName());
				synchronized (this.adoption) {
					if (announced.equals(master()) && !announced.equals(this.failover.masterAtStart())) {
						endFailover("+switch-master to " + announced + ", already in use");
					}
				}
				return;
			}
			case ASK_ALL -> {
				logger.info("Sentinel {} announced a switch of '{}' from {} to {}, but {} is in use; asking every "
						+ "Sentinel", sentinel, this.settings.masterName(), from, announced, before);
				refresh("+switch-master from a master not in use");
				return;
			}
			case FOLLOW -> {
				// Below.
			}
		}
		List<String> problems = new ArrayList<>();
		if (roleOf(announced, problems) != NodeRole.MASTER) {
			logger.info("Sentinel {} announced master {} for '{}', not confirmed yet: {}", sentinel, announced,
					this.settings.masterName(), problems);
			refresh("+switch-master, announced master unconfirmed");
			return;
		}
		List<Map<String, String>> replicas = List.of();
		Long configEpoch = null;
		try {
			SentinelAnswer answer = this.client.ask(sentinel, this.settings.masterName());
			if (announced.equals(answer.master())) {
				replicas = answer.replicas();
				configEpoch = answer.configEpoch();
			}
		}
		catch (RuntimeException ex) {
			// The master is confirmed; replicas and the epoch come with the next check.
		}
		synchronized (this.adoption) {
			KnownMaster inUse = this.known;
			String refusal = MasterSelection.refusal(inUse, announced, configEpoch, null);
			if (refusal != null) {
				logger.info("Ignoring +switch-master of '{}' to {} from Sentinel {}: named {}",
						this.settings.masterName(), announced, sentinel, refusal);
				return;
			}
			this.switchesFollowed++;
			adopt(new SentinelAnswer(sentinel, announced, replicas, configEpoch), List.of(sentinel), "+switch-master");
			endFailover("+switch-master to " + announced);
		}
		this.completedRefreshes.incrementAndGet();
	}

	private void submit(Runnable task) {
		submit(this.watcher, task);
	}

	private void submit(ExecutorService executor, Runnable task) {
		try {
			executor.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Sentinel task for '{}' failed", this.settings.masterName(), ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to follow.
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
		this.watcher.shutdownNow();
		this.switchFollower.shutdownNow();
		try {
			long bound = this.settings.timeout().toMillis() * 2;
			if (!this.watcher.awaitTermination(bound, TimeUnit.MILLISECONDS)
					|| !this.switchFollower.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
				logger.warn("Sentinel watcher of '{}' did not stop in time", this.settings.masterName());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.poll.close();
		this.subscriptions.values().forEach(StatefulRedisPubSubConnection::close);
		this.subscriptions.clear();
		this.writeGuard.release();
		this.client.close();
	}

	@Override
	public String toString() {
		return "SentinelTopologySource[" + this.settings.masterName() + ", sentinels " + this.settings.sentinels()
				+ "]";
	}

	private final class EventListener extends RedisPubSubAdapter<String, String> {

		private final RedisNode sentinel;

		EventListener(RedisNode sentinel) {
			this.sentinel = sentinel;
		}

		@Override
		public void message(String channel, String message) {
			SentinelEvent event = SentinelEvent.parse(channel, message);
			if (event != null) {
				onEvent(this.sentinel, event);
			}
		}

	}

}
