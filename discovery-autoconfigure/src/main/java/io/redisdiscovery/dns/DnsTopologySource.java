package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.topology.AbstractTopologySource;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeProbe;
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
 * <p>
 * What is known per address lives in one {@link AddressBook}; the {@link HostnameWatcher} looks the hostname up, the
 * {@link DnsTopologyDescriber} describes the result, and this class turns connection events into address changes.
 *
 * @since 0.1.0
 */
public class DnsTopologySource extends AbstractTopologySource {

	static final DiscoveryMode MODE = DiscoveryMode.DNS;

	/** Detail of an endpoint: whether its address is in the latest DNS answer. */
	public static final String IN_DNS_ANSWER = "inDnsAnswer";

	private static final Logger logger = LoggerFactory.getLogger(DnsTopologySource.class);

	/** Longest wait for a dropped connection's address to accept a TCP connection before it counts as failed. */
	private static final Duration CONNECT_CHECK_TIMEOUT = Duration.ofSeconds(1);

	private final DnsSettings settings;

	private final DnsRecordLookup lookup;

	private final @Nullable NodeProbe probe;

	private final AddressBook book;

	private final DnsSocketAddressResolver resolver;

	private final HostnameWatcher watcher;

	private final DnsTopologyDescriber describer;

	private final Disposable eventSubscription;

	private final ConnectCheck connectCheck;

	private final ConnectionTracker connections;

	/** Held while an answer and the lookup status change together, and while publishing. */
	private final Object lock = new Object();

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
		this.book = new AddressBook(settings.hostname(), settings.port(), settings.selection(), settings.coolDown(),
				clock);
		this.resolver = new DnsSocketAddressResolver(this.book);
		this.describer = new DnsTopologyDescriber(settings, this.book);
		this.watcher = new HostnameWatcher(settings, this::lookUp, this.book, this::republish, clock, this.lock);
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
		this.watcher.start();
	}

	@Override
	public RedisTopology refresh(String reason) {
		this.watcher.lookupNow(reason);
		NodeProbe probe = this.probe;
		if (probe != null) {
			for (InetAddress address : this.book.addresses()) {
				TopologyEndpoint probed = probe.probe(this.describer.node(address),
						this.book.state(address).connections() > 0);
				this.book.probed(address, probed.role(), probed.reachable());
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
		InetAddress failed = FailedConnectAddress.find(failure, this.book.addresses(), this.settings.port());
		if (failed != null) {
			markFailed(failed);
			this.watcher.lookupSoon("connection to " + failed.getHostAddress() + " failed");
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
	 * What is known about one address, for tests.
	 * @param address the address
	 * @return its state
	 */
	AddressState addressState(InetAddress address) {
		return this.book.state(address);
	}

	/**
	 * The addresses of the latest answer, for tests.
	 * @return the addresses
	 */
	List<InetAddress> addresses() {
		return this.book.addresses();
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
		this.watcher.close();
		this.eventSubscription.dispose();
		this.connectCheck.close();
		this.lookup.close();
		if (this.probe != null) {
			this.probe.close();
		}
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

	private void onReconnectFailed(SocketAddress remote) {
		if (remote instanceof InetSocketAddress socketAddress && socketAddress.getAddress() != null
				&& socketAddress.getPort() == this.settings.port()) {
			InetAddress address = AddressBook.withoutHostname(socketAddress.getAddress());
			markFailed(address);
			this.watcher.lookupSoon("reconnect to " + address.getHostAddress() + " failed");
		}
	}

	private void onConnectCheck(InetAddress address, boolean accepted) {
		try {
			if (accepted) {
				this.book.accepts(address);
			}
			else {
				markFailed(address);
			}
		}
		finally {
			this.book.checkEnded(address);
		}
	}

	private void markFailed(InetAddress address) {
		if (this.book.coolDown(address)) {
			logger.info("Connecting to {} ({}) failed; avoiding it for {}", address.getHostAddress(),
					this.settings.hostname(), this.settings.coolDown());
		}
		this.watcher.publishSoon("connection to " + address.getHostAddress() + " failed");
	}

	private RedisTopology republish(String reason) {
		synchronized (this.lock) {
			return publish(this.describer.describe(this.watcher.status()), reason);
		}
	}

	/**
	 * Reacts to the connections the tracker sees: an established one counts and clears its address, a dropped one
	 * makes it suspect until a TCP check, and any change is published.
	 */
	private final class ConnectionListener implements ConnectionTracker.Listener {

		@Override
		public void connected(InetAddress address) {
			DnsTopologySource.this.book.connected(address);
			DnsTopologySource.this.watcher.publishSoon("connected to " + address.getHostAddress());
		}

		@Override
		public void closed(InetAddress address, boolean dropped) {
			AddressBook book = DnsTopologySource.this.book;
			book.closed(address);
			// A connection the application closed says nothing about the address: only a drop is checked.
			if (dropped && !DnsTopologySource.this.watcher.isClosed()
					&& book.suspect(address, CONNECT_CHECK_TIMEOUT.multipliedBy(2))) {
				if (book.startCheck(address) && !DnsTopologySource.this.connectCheck.check(address)) {
					book.checkEnded(address);
				}
				DnsTopologySource.this.watcher.lookupSoon("connection to " + address.getHostAddress() + " dropped");
			}
			DnsTopologySource.this.watcher.publishSoon("disconnected from " + address.getHostAddress());
		}

	}

}
