package io.redisdiscovery.cluster;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.netty.channel.Channel;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.QuickCommands;
import io.redisdiscovery.topology.AbstractTopologySource;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * The topology of a Redis Cluster as the application's client routes it, kept current from Lettuce's topology
 * events, and a trigger that refreshes the client's slot map when commands fail.
 *
 * @since 0.1.0
 */
public class ClusterTopologySource extends AbstractTopologySource {

	private static final Logger logger = LoggerFactory.getLogger(ClusterTopologySource.class);

	/** Nodes asked directly by {@link #refresh(String)} before giving up; the first that answers decides. */
	private static final int MAX_NODES_ASKED = 5;

	private final List<RedisNode> seeds;

	private final ClusterNodeQuery query;

	private final ClusterAddressMap addressMap;

	private final boolean adaptive;

	private final long minIntervalNanos;

	private final Duration refreshTimeout;

	private final ScheduledExecutorService scheduler;

	private final AtomicBoolean refreshPending = new AtomicBoolean();

	private final PromotionWatch promotionWatch;

	private final SilentMasterWatch silentMasters;

	/** With a hash tag in front, the key a probe of a silent master deletes: one that never exists. */
	private final String probeKeyName = "redis-discovery:probe:" + UUID.randomUUID();

	private volatile @Nullable RedisClusterClient client;

	private volatile @Nullable Disposable subscription;

	private volatile long lastTriggeredRefreshNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	private volatile CompletableFuture<?> triggeredRefresh = CompletableFuture.completedFuture(null);

	private volatile boolean closed;

	/**
	 * Creates a source.
	 * @param seeds the seed nodes
	 * @param query how to ask one node directly
	 * @param addressMap the announced-to-reachable address map
	 * @param adaptive whether failed commands trigger a refresh of the client's slot map
	 * @param minInterval shortest time between two triggered refreshes
	 * @param refreshTimeout bound on waiting for the client's refresh in {@link #refresh(String)}
	 * @param clock the clock
	 */
	public ClusterTopologySource(List<RedisNode> seeds, ClusterNodeQuery query, ClusterAddressMap addressMap,
			boolean adaptive, Duration minInterval, Duration refreshTimeout, Clock clock) {
		super(new RedisTopology(ClusterTopologyDescriber.MODE,
				seeds.stream().map((seed) -> TopologyEndpoint.of(seed, NodeRole.UNKNOWN, false, false)).toList(),
				Map.of("view", "seeds"), null, false), clock);
		this.seeds = List.copyOf(seeds);
		this.query = query;
		this.addressMap = addressMap;
		this.adaptive = adaptive;
		this.minIntervalNanos = minInterval.toNanos();
		this.refreshTimeout = refreshTimeout;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-cluster-refresh");
			thread.setDaemon(true);
			return thread;
		});
		this.promotionWatch = new PromotionWatch(query, this::refreshAfterPromotion, (node) -> {
			RedisClusterClient client = this.client;
			return client != null && RoutedNodes.isMasterWithSlots(client, node);
		});
		this.silentMasters = new SilentMasterWatch(new SilentMasterWatch.Listener() {

			@Override
			public void silent(Channel channel, RedisCommand<?, ?, ?> oldest, boolean subscriber) {
				SocketAddress address = channel.remoteAddress();
				@Nullable String key = QuickCommands.probeKey(oldest, ClusterTopologySource.this.probeKeyName);
				offEventLoop(() -> {
					masterUnreachable(address);
					replaceIfPathDead(channel, oldest, address, key, subscriber);
				});
			}

			@Override
			public void answering(SocketAddress address) {
				offEventLoop(() -> masterReachable(address));
			}

		}, QuickCommands.slowSilence(query.timeout()));
		// Three looks per quick silence, as the silence watch of the other modes.
		long period = QuickCommands.SILENCE.toMillis() / 3;
		this.scheduler.scheduleWithFixedDelay(this::checkForSilentMasters, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * Follows the client that routes the application's commands: its slot map changes are published, failed
	 * commands refresh it, and the replicas of a master it fails to reconnect to, or whose connection went silent
	 * ({@link SilentMasterWatch}), are watched for a promotion (see {@link PromotionWatch}). Replaces a client
	 * attached before (after a restart of the connection factory).
	 * @param client the client
	 */
	public void attach(BoundedRefreshClusterClient client) {
		Disposable previous = this.subscription;
		if (previous != null) {
			previous.dispose();
		}
		this.client = client;
		// Published once the client routes by it, so that the retries it wakes see the new slot map.
		client.onSlotMapInstalled(this::publishClientView);
		client.skipInRefresh((uri) -> this.silentMasters.isSilent(seenAs(uri)));
		EventBus events = client.getResources().eventBus();
		this.subscription = Disposables.composite(
				events.get()
					.ofType(ReconnectFailedEvent.class)
					.subscribe((event) -> offEventLoop(() -> masterUnreachable(event.remoteAddress()))),
				events.get()
					.ofType(ConnectionActivatedEvent.class)
					.subscribe((event) -> {
						this.silentMasters.connected(event.remoteAddress());
						offEventLoop(() -> masterReachable(event.remoteAddress()));
					}));
	}

	/**
	 * Watches the channels of the connection factory's client for a master that stopped answering.
	 * @return the customizer to install in the connection factory's client resources
	 */
	@Override
	public NettyCustomizer nettyCustomizer() {
		return this.silentMasters;
	}

	private void masterUnreachable(SocketAddress address) {
		RedisClusterClient client = this.client;
		if (client != null) {
			RoutedNodes.masterAt(client, this.addressMap, address)
				.ifPresent((master) -> this.promotionWatch.masterUnreachable(master.getNodeId(),
						RoutedNodes.replicasOf(client, master)));
		}
	}

	/**
	 * Probes the node a silent channel leads to through a new connection, waiting as long as the silence watch of the
	 * other modes does; if the node answers, the channel's path is dead and the channel is replaced. A master is sent a
	 * write that changes nothing on the hash slot of the channel's oldest command (on one of its own slots for a
	 * command without a key, which another slot would answer with {@code MOVED}); a subscriber's node, which may be a
	 * replica, a {@code PING}, as the subscriber was.
	 */
	private void replaceIfPathDead(Channel channel, RedisCommand<?, ?, ?> oldest, SocketAddress address,
			@Nullable String key, boolean subscriber) {
		RedisClusterClient client = this.client;
		RedisClusterNode node = (client != null) ? RoutedNodes.nodeAt(client, this.addressMap, address).orElse(null)
				: null;
		if (node == null) {
			return;
		}
		RedisNode announced = RoutedNodes.announced(node.getUri());
		Duration wait = QuickCommands.slowSilence(this.query.timeout());
		CompletableFuture<Boolean> probe;
		if (subscriber) {
			probe = this.query.answersPing(announced, wait);
		}
		else if (node.is(NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
			String probeKey = (key != null) ? key
					: QuickCommands.probeKeyInSlot(node.getSlots().get(0), this.probeKeyName);
			probe = this.query.answersWrite(announced, probeKey, wait);
		}
		else {
			return;
		}
		probe.thenAccept((answered) -> {
			if (answered) {
				this.silentMasters.closeIfStillSilent(channel, oldest);
			}
		});
	}

	private void masterReachable(SocketAddress address) {
		RedisClusterClient client = this.client;
		if (client != null) {
			RoutedNodes.masterAt(client, this.addressMap, address)
				.ifPresent((master) -> this.promotionWatch.masterReachable(master.getNodeId()));
		}
	}

	/** How the connections to a node of the slot map name their remote address. */
	private RedisNode seenAs(RedisURI uri) {
		return this.addressMap.seenAs(new RedisNode(uri.getHost(), uri.getPort()));
	}

	/** Runs on the source's own thread, where reading the client's slot map may block. */
	private void checkForSilentMasters() {
		RedisClusterClient client = this.client;
		if (client == null) {
			return;
		}
		try {
			Set<RedisNode> serving = new HashSet<>();
			for (RedisClusterNode node : RoutedNodes.of(client)) {
				if (node.is(NodeFlag.UPSTREAM) && !node.getSlots().isEmpty() && node.getUri() != null) {
					serving.add(seenAs(node.getUri()));
				}
			}
			this.silentMasters.check(serving);
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: an event loop shut down meanwhile is no reason to stop.
			logger.debug("Cannot look at the cluster connections", ex);
		}
	}

	@Override
	public RedisTopology refresh(String reason) {
		RedisClusterClient client = this.client;
		if (client != null) {
			try {
				client.refreshPartitionsAsync()
					.toCompletableFuture()
					.get(this.refreshTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				logger.debug("Refresh of the client's slot map failed", ex);
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
			}
		}
		Predicate<RedisClusterNode> inUse = inUse(client);
		for (RedisNode node : nodesToAsk()) {
			try {
				ClusterNodeQuery.ClusterView view = this.query.ask(node);
				return publish(ClusterTopologyDescriber.describe(view.nodes(), inUse, view.info(),
						"node " + this.addressMap.map(node), clock().instant()), reason);
			}
			catch (RuntimeException ex) {
				logger.debug("Cluster node {} did not answer", node, ex);
			}
		}
		RedisTopology last = current();
		return publish(new RedisTopology(last.mode(), last.endpoints(), last.details(), last.discoveredAt(), true),
				reason);
	}

	@Override
	public void onCommandFailure(FailureKind kind, Throwable failure) {
		if (this.adaptive && kind != FailureKind.FATAL) {
			triggerRefresh(kind);
		}
	}

	@Override
	public @Nullable SocketAddressResolver addressResolver() {
		return this.addressMap.resolver();
	}

	@Override
	public void close() {
		this.closed = true;
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
		}
		this.scheduler.shutdownNow();
		this.promotionWatch.close();
		this.query.close();
	}

	/**
	 * Refreshes the client's slot map soon: at once, or when the minimum interval since the last triggered refresh
	 * has passed; triggers that arrive meanwhile share that refresh.
	 */
	private void triggerRefresh(FailureKind kind) {
		RedisClusterClient client = this.client;
		if (client == null || this.closed || !this.refreshPending.compareAndSet(false, true)) {
			return;
		}
		long wait = Math.max(0, this.lastTriggeredRefreshNanos + this.minIntervalNanos - System.nanoTime());
		try {
			this.scheduler.schedule(() -> runTriggeredRefresh(client, kind), wait, TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			// Rejected after close: nothing left to refresh.
			this.refreshPending.set(false);
		}
	}

	private void runTriggeredRefresh(RedisClusterClient client, FailureKind kind) {
		this.refreshPending.set(false);
		if (!this.triggeredRefresh.isDone() || this.closed) {
			return;
		}
		this.lastTriggeredRefreshNanos = System.nanoTime();
		logger.debug("Refreshing the cluster slot map after a command failure ({})", kind);
		this.triggeredRefresh = client.refreshPartitionsAsync().toCompletableFuture().exceptionally((ex) -> {
			logger.debug("Triggered refresh of the cluster slot map failed", ex);
			return null;
		});
	}

	/**
	 * Refreshes the slot map at once, without waiting for the minimum interval (a promotion is the event the failing
	 * commands wait for), unless the last refresh is still running. Called on the watch's thread while triggered
	 * refreshes start on the scheduler: at worst two refreshes overlap, which Lettuce allows.
	 */
	private void refreshAfterPromotion() {
		RedisClusterClient client = this.client;
		if (client == null || this.closed || !this.triggeredRefresh.isDone()) {
			return;
		}
		this.lastTriggeredRefreshNanos = System.nanoTime();
		this.triggeredRefresh = client.refreshPartitionsAsync().toCompletableFuture().exceptionally((ex) -> {
			logger.debug("Refresh of the cluster slot map after a promotion failed", ex);
			return null;
		});
	}

	/**
	 * Runs work for a connection event on the source's own thread: the client's slot map may not be loaded yet at
	 * the first connections, and loading it blocks, which an event loop of Lettuce must never do.
	 */
	private void offEventLoop(Runnable work) {
		try {
			this.scheduler.execute(() -> {
				try {
					work.run();
				}
				catch (RuntimeException ex) {
					logger.debug("Cannot follow a connection event", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to follow.
		}
	}

	/**
	 * Publishes the slot map the client routes by; listeners are told only when it changed.
	 */
	private void publishClientView(List<RedisClusterNode> routed) {
		try {
			publish(ClusterTopologyDescriber.describe(routed, (node) -> true, null, "client", clock().instant()),
					"slot map changed");
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot describe the client's slot map", ex);
		}
	}

	/** Healthy masters of the client's view first, then its other nodes, then the seeds. */
	private List<RedisNode> nodesToAsk() {
		Set<RedisNode> nodes = new LinkedHashSet<>();
		RedisClusterClient client = this.client;
		if (client != null) {
			List<RedisClusterNode> known = new ArrayList<>(RoutedNodes.of(client));
			known.sort((a, b) -> Boolean.compare(!a.is(NodeFlag.UPSTREAM), !b.is(NodeFlag.UPSTREAM)));
			for (RedisClusterNode node : known) {
				if (node.getUri() != null && ClusterTopologyDescriber.isHealthy(node)) {
					nodes.add(new RedisNode(node.getUri().getHost(), node.getUri().getPort()));
				}
			}
		}
		nodes.addAll(this.seeds);
		return nodes.stream().limit(Math.max(MAX_NODES_ASKED, this.seeds.size())).toList();
	}

	private static Predicate<RedisClusterNode> inUse(@Nullable RedisClusterClient client) {
		if (client == null) {
			return ClusterClientOptionsFactory.routable();
		}
		Set<String> routed = new LinkedHashSet<>();
		RoutedNodes.of(client).forEach((node) -> routed.add(node.getNodeId()));
		return (node) -> routed.contains(node.getNodeId());
	}

}
