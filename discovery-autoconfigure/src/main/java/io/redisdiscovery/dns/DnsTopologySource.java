package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.dns.DnsAnswer.Family;
import io.redisdiscovery.retry.CauseChain;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.topology.AbstractTopologySource;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.FailureDescriptions;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Watches the A/AAAA records of a database hostname in the background, honouring their TTL, and hands each new
 * connection one of the addresses, avoiding addresses whose connection attempts failed.
 * <p>
 * When a connection drops (closed by the server or the network, not by the application), its address is avoided until
 * a TCP connect shows that it still accepts connections, and the hostname is looked up again at once (at most once per
 * {@code min-ttl}), so that the reconnect goes to a live address even when the record set changed together with the
 * failure. Connections are counted, and drops told from closes, at their channels ({@link #nettyCustomizer()}).
 * <p>
 * Endpoints are the addresses of the latest answer, plus addresses outside it that connections still use
 * ({@code inDnsAnswer=false}); listeners move such connections. When no DNS server answers, the last known addresses
 * stay in use and the topology is marked stale.
 *
 * @since 0.1.0
 */
public class DnsTopologySource extends AbstractTopologySource {

	static final DiscoveryMode MODE = DiscoveryMode.DNS;

	/** Detail of an endpoint: whether its address is in the latest DNS answer. */
	public static final String IN_DNS_ANSWER = "inDnsAnswer";

	private static final Logger logger = LoggerFactory.getLogger(DnsTopologySource.class);

	private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(250);

	private static final long STOP_TIMEOUT_SECONDS = 5;

	/** Longest wait for a dropped connection's address to accept a TCP connection before it counts as failed. */
	private static final Duration CONNECT_CHECK_TIMEOUT = Duration.ofSeconds(1);

	private final DnsSettings settings;

	private final DnsRecordLookup lookup;

	private final @Nullable NodeProbe probe;

	private final AddressPool pool;

	private final DnsSocketAddressResolver resolver;

	private final ScheduledExecutorService scheduler;

	private final Disposable eventSubscription;

	private final ConnectCheck connectCheck;

	private final AtomicBoolean lookupScheduled = new AtomicBoolean();

	private volatile long lastEarlyLookupNanos;

	private final ConnectionTracker connections;

	private final AtomicBoolean republishPending = new AtomicBoolean();

	private final Map<InetAddress, NodeRole> roles = new ConcurrentHashMap<>();

	private final Map<InetAddress, Boolean> reachable = new ConcurrentHashMap<>();

	private final Object lock = new Object();

	private @Nullable Duration lastTtl;

	private @Nullable Instant lastResolution;

	private @Nullable String lastError;

	private boolean stale;

	private Set<Family> lastUnanswered = Set.of();

	private int consecutiveFailures;

	private volatile boolean closed;

	/**
	 * Creates a source; call {@link #start()} to resolve for the first time and begin watching.
	 * @param settings what to resolve
	 * @param lookup how to ask DNS (closed with this source)
	 * @param eventBus the Lettuce event bus that reports connections and failed reconnects
	 * @param probe asks an address for its role on {@link #refresh(String)}, or {@code null} to never probe
	 * (closed with this source)
	 * @param clock the clock
	 */
	public DnsTopologySource(DnsSettings settings, DnsRecordLookup lookup, EventBus eventBus,
			@Nullable NodeProbe probe, Clock clock) {
		super(new RedisTopology(MODE, List.of(), Map.of("hostname", settings.hostname()), null, false), clock);
		this.settings = settings;
		this.lookup = lookup;
		this.probe = probe;
		this.pool = new AddressPool(settings.hostname(), settings.port(), settings.selection(), settings.coolDown(),
				clock);
		this.resolver = new DnsSocketAddressResolver(this.pool);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-dns");
			thread.setDaemon(true);
			return thread;
		});
		this.lastEarlyLookupNanos = System.nanoTime() - settings.minTtl().toNanos();
		this.connectCheck = new ConnectCheck(settings.port(), CONNECT_CHECK_TIMEOUT, this::onConnectCheck);
		this.connections = new ConnectionTracker(settings.port(), new ConnectionListener());
		// Only failed reconnects: losing one under a burst of events delays the early lookup, it skews no count.
		this.eventSubscription = eventBus.get()
			.filter(ReconnectFailedEvent.class::isInstance)
			.subscribe((event) -> onReconnectFailed(((ReconnectFailedEvent) event).remoteAddress()));
	}

	/**
	 * Resolves the hostname for the first time and starts watching it.
	 * @throws DnsLookupException when the hostname does not resolve and {@link DnsSettings#failFast()} is set
	 */
	public void start() {
		Duration next = lookupAndPublish("startup", this.settings.failFast());
		schedule(next);
	}

	@Override
	public RedisTopology refresh(String reason) {
		lookupAndPublish(reason, false);
		NodeProbe probe = this.probe;
		if (probe != null) {
			for (InetAddress address : this.pool.addresses()) {
				TopologyEndpoint probed = probe.probe(node(address), isInUse(address));
				this.roles.put(address, probed.role());
				this.reachable.put(address, probed.reachable());
			}
		}
		return republish(reason);
	}

	@Override
	public void onCommandFailure(FailureKind kind, Throwable failure) {
		if (kind != FailureKind.NOT_SENT) {
			return;
		}
		// A first connect (unlike a reconnect) raises no event; its exception names the address it dialled.
		InetAddress failed = addressNamedIn(failure);
		if (failed != null) {
			markFailed(failed);
			lookupSoon("connection to " + failed.getHostAddress() + " failed");
		}
	}

	@Override
	public SocketAddressResolver addressResolver() {
		return this.resolver;
	}

	/**
	 * Counts the connections per address at their channels and tells the drops from the closes.
	 * @return the customizer to install in the connection factory's client resources
	 */
	@Override
	public NettyCustomizer nettyCustomizer() {
		return this.connections;
	}

	/**
	 * Moves the connections off an address as soon as it leaves the DNS answer, before its proxy goes away.
	 */
	@Override
	public void bind(ConnectionMover connections) {
		addListener(new StrandedConnectionMover(connections));
	}

	/**
	 * The addresses new connections choose from.
	 * @return the pool
	 */
	public AddressPool addressPool() {
		return this.pool;
	}

	/**
	 * How many TCP checks of addresses whose connection closed were started, for tests.
	 * @return the number of checks
	 */
	long connectChecksStarted() {
		return this.connectCheck.checksStarted();
	}

	@Override
	public void close() {
		this.closed = true;
		this.eventSubscription.dispose();
		this.connectCheck.close();
		this.scheduler.shutdownNow();
		try {
			this.scheduler.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.lookup.close();
		if (this.probe != null) {
			this.probe.close();
		}
	}

	private void schedule(Duration delay) {
		if (this.closed) {
			return;
		}
		try {
			this.scheduler.schedule(() -> schedule(lookupOrRetryLater("record TTL expired")), delay.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile: nothing left to watch.
		}
	}

	/**
	 * Looks the hostname up like {@link #lookupAndPublish}, but never throws: each lookup schedules the next, so one
	 * unexpected exception would otherwise end the watching for good, and silently, as the executor keeps it.
	 * @return when to look again
	 */
	private Duration lookupOrRetryLater(String reason) {
		try {
			return lookupAndPublish(reason, false);
		}
		catch (RuntimeException ex) {
			synchronized (this.lock) {
				this.consecutiveFailures++;
				this.stale = true;
				this.lastError = "Cannot look up '" + this.settings.hostname() + "': "
						+ ex.getClass().getSimpleName();
			}
			Duration retry = retryDelay();
			// The type and message only: the stack trace (at DEBUG) is for whoever chases the bug.
			logger.warn("Looking up '{}' failed unexpectedly ({}); keeping the last known addresses {}, trying "
					+ "again in {} ms", this.settings.hostname(), FailureDescriptions.rootCause(ex),
					this.pool.addresses(), retry.toMillis());
			logger.debug("Unexpected failure looking up '{}'", this.settings.hostname(), ex);
			republishLater("DNS lookup failed");
			return retry;
		}
	}

	/**
	 * Looks the hostname up and publishes the outcome.
	 * @return when to look again
	 */
	private Duration lookupAndPublish(String reason, boolean failWhenUnresolved) {
		DnsAnswer answer;
		try {
			answer = lookUp(this.settings.hostname());
		}
		catch (DnsLookupException ex) {
			boolean neverResolved;
			synchronized (this.lock) {
				this.consecutiveFailures++;
				this.stale = true;
				this.lastError = ex.getMessage();
				neverResolved = this.lastResolution == null;
			}
			if (failWhenUnresolved) {
				throw ex;
			}
			logger.warn("{}; {}", ex.getMessage(), neverResolved ? "will keep trying"
					: "keeping the last known addresses " + this.pool.addresses());
			republish("DNS lookup failed");
			return retryDelay();
		}
		Set<Family> unanswered = answer.unanswered();
		boolean newlyUnanswered;
		synchronized (this.lock) {
			answer = answer.keepingUnansweredFamiliesOf(this.pool.addresses());
			this.pool.update(answer.addresses());
			forgetAddressesOutside(answer.addresses());
			this.consecutiveFailures = 0;
			this.stale = false;
			// Not stale: the answering family is current, and a family some server never answers must not keep the
			// topology stale for good. The error says which addresses are only the last known ones.
			this.lastError = unanswered.isEmpty() ? null : unansweredMessage(unanswered);
			newlyUnanswered = !unanswered.isEmpty() && !unanswered.equals(this.lastUnanswered);
			this.lastUnanswered = unanswered;
			this.lastTtl = answer.ttl();
			this.lastResolution = clock().instant();
		}
		if (newlyUnanswered) {
			logger.warn("{}; addresses in use: {}", unansweredMessage(unanswered), answer.addresses());
		}
		republish(reason);
		return this.settings.nextLookupAfter(answer.ttl());
	}

	private String unansweredMessage(Set<Family> unanswered) {
		String types = unanswered.stream().map(Family::recordType).sorted().collect(Collectors.joining(" and "));
		return "No answer to the " + types + " query for '" + this.settings.hostname() + "'; keeping the last known "
				+ types + " addresses";
	}

	/**
	 * Forgets the role and reachability learned about addresses that left the record set and carry no connection:
	 * an address that comes back may be another server, and a record set that keeps changing must not grow the maps.
	 */
	private void forgetAddressesOutside(List<InetAddress> answer) {
		Set<InetAddress> kept = new HashSet<>(this.connections.addresses());
		answer.stream().map(DnsTopologySource::withoutHostname).forEach(kept::add);
		this.roles.keySet().retainAll(kept);
		this.reachable.keySet().retainAll(kept);
	}

	/**
	 * Asks DNS for the hostname's addresses; tests override it to make a lookup fail in ways DNS does not.
	 * @param hostname the hostname
	 * @return the answer
	 * @throws DnsLookupException when the hostname does not resolve
	 */
	DnsAnswer lookUp(String hostname) {
		return this.lookup.lookup(hostname);
	}

	/**
	 * Looks the hostname up again at once, or at the earliest {@code min-ttl} after the previous early lookup.
	 */
	private void lookupSoon(String reason) {
		if (this.closed || !this.lookupScheduled.compareAndSet(false, true)) {
			return;
		}
		long sincePrevious = System.nanoTime() - this.lastEarlyLookupNanos;
		long delay = Math.max(0, this.settings.minTtl().toNanos() - sincePrevious);
		try {
			this.scheduler.schedule(() -> {
				this.lastEarlyLookupNanos = System.nanoTime();
				this.lookupScheduled.set(false);
				lookupOrRetryLater(reason);
			}, delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
			this.lookupScheduled.set(false);
		}
	}

	private Duration retryDelay() {
		int failures;
		synchronized (this.lock) {
			failures = this.consecutiveFailures;
		}
		Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << Math.min(failures - 1, 16));
		return (delay.compareTo(this.settings.refreshInterval()) < 0) ? delay : this.settings.refreshInterval();
	}

	private void onReconnectFailed(SocketAddress remote) {
		if (remote instanceof InetSocketAddress socketAddress && socketAddress.getAddress() != null
				&& socketAddress.getPort() == this.settings.port()) {
			InetAddress address = withoutHostname(socketAddress.getAddress());
			markFailed(address);
			lookupSoon("reconnect to " + address.getHostAddress() + " failed");
		}
	}

	private void onConnectCheck(InetAddress address, boolean accepted) {
		if (accepted) {
			this.pool.accepts(address);
		}
		else {
			markFailed(address);
		}
	}

	private void markFailed(InetAddress address) {
		if (this.pool.coolDown(address)) {
			logger.info("Connecting to {} ({}) failed; avoiding it for {}", address.getHostAddress(),
					this.settings.hostname(), this.settings.coolDown());
		}
		this.reachable.put(withoutHostname(address), false);
		republishLater("connection to " + address.getHostAddress() + " failed");
	}

	/**
	 * Publishes the current state soon; calls made while one is pending join it, so that a burst of connections
	 * opening and closing publishes a few snapshots, not one per connection.
	 */
	private void republishLater(String reason) {
		if (this.closed || !this.republishPending.compareAndSet(false, true)) {
			return;
		}
		try {
			this.scheduler.execute(() -> {
				this.republishPending.set(false);
				republish(reason);
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
			this.republishPending.set(false);
		}
	}

	private RedisTopology republish(String reason) {
		synchronized (this.lock) {
			return publish(snapshot(), reason);
		}
	}

	private RedisTopology snapshot() {
		// Sorted, so that a server rotating its answers does not look like a change.
		Set<InetAddress> members = new LinkedHashSet<>();
		this.pool.addresses()
			.stream()
			.map(DnsTopologySource::withoutHostname)
			.sorted(AddressPool.BY_BYTES)
			.forEach(members::add);
		List<TopologyEndpoint> endpoints = new ArrayList<>();
		for (InetAddress address : members) {
			endpoints.add(endpoint(address, true));
		}
		this.connections.addresses()
			.stream()
			.filter((address) -> !members.contains(address))
			.sorted(AddressPool.BY_BYTES)
			.forEach((address) -> endpoints.add(endpoint(address, false)));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("hostname", this.settings.hostname());
		details.put("port", this.settings.port());
		details.put("nameservers", this.settings.nameservers().isEmpty() ? List.of("system")
				: this.settings.nameservers().stream().map(DnsTopologySource::hostAndPort).toList());
		details.put("selection", this.settings.selection().name().toLowerCase(Locale.ROOT).replace('_', '-'));
		if (this.lastTtl != null) {
			details.put("recordTtl", this.lastTtl.toString());
		}
		if (this.lastResolution != null) {
			details.put("lastResolution", this.lastResolution.toString());
		}
		details.put("stale", this.stale);
		if (this.lastError != null) {
			details.put("lastError", this.lastError);
		}
		return new RedisTopology(MODE, endpoints, details, this.lastResolution, this.stale);
	}

	private TopologyEndpoint endpoint(InetAddress address, boolean inAnswer) {
		int active = this.connections.connections(address);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put(IN_DNS_ANSWER, inAnswer);
		details.put("connections", active);
		Instant coolingDownUntil = this.pool.coolingDownUntil(address);
		if (coolingDownUntil != null) {
			details.put("coolingDownUntil", coolingDownUntil.toString());
		}
		boolean isReachable = coolingDownUntil == null
				&& (active > 0 || this.reachable.getOrDefault(address, Boolean.FALSE));
		return new TopologyEndpoint(node(address), this.roles.getOrDefault(address, NodeRole.UNKNOWN), isReachable,
				active > 0, details);
	}

	private boolean isInUse(InetAddress address) {
		return this.connections.connections(withoutHostname(address)) > 0;
	}

	private RedisNode node(InetAddress address) {
		return new RedisNode(address.getHostAddress(), this.settings.port());
	}

	private @Nullable InetAddress addressNamedIn(Throwable failure) {
		List<InetAddress> candidates = this.pool.addresses();
		for (Throwable current : CauseChain.of(failure)) {
			String message = current.getMessage();
			if (message == null) {
				continue;
			}
			for (InetAddress candidate : candidates) {
				// As Netty names the address in ConnectException and ConnectTimeoutException: "/127.0.0.11:6379".
				if (message.contains(new InetSocketAddress(withoutHostname(candidate), this.settings.port()).toString())) {
					return candidate;
				}
			}
		}
		return null;
	}

	static InetAddress withoutHostname(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("An InetAddress always has 4 or 16 bytes", ex);
		}
	}

	private static String hostAndPort(InetSocketAddress address) {
		return new RedisNode(address.getHostString(), address.getPort()).toString();
	}

	/**
	 * Reacts to the connections the tracker sees: an established one clears its address, a dropped one makes it
	 * suspect until a TCP check, and any change is published.
	 */
	private final class ConnectionListener implements ConnectionTracker.Listener {

		@Override
		public void connected(InetAddress address) {
			DnsTopologySource.this.pool.recovered(address);
			DnsTopologySource.this.reachable.put(address, true);
			republishLater("connected to " + address.getHostAddress());
		}

		@Override
		public void closed(InetAddress address, boolean dropped) {
			// A connection the application closed says nothing about the address: only a drop is checked.
			if (dropped && !DnsTopologySource.this.closed
					&& DnsTopologySource.this.pool.suspect(address, CONNECT_CHECK_TIMEOUT.multipliedBy(2))) {
				DnsTopologySource.this.connectCheck.check(address);
				lookupSoon("connection to " + address.getHostAddress() + " dropped");
			}
			republishLater("disconnected from " + address.getHostAddress());
		}

	}

}
