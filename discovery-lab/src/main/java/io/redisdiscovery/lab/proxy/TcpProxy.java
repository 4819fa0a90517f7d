package io.redisdiscovery.lab.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.redisdiscovery.lab.RedisLabException;
import io.redisdiscovery.lab.internal.FreePorts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round-robin TCP proxy on a loopback address that plays load balancer and injects faults: dropped connections,
 * refused connections, latency, black holes and garbage bytes.
 */
public final class TcpProxy implements AutoCloseable {

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private static final int BIND_ATTEMPTS = 5;

	private static final long ACCEPTOR_STOP_TIMEOUT_MILLIS = 5000;

	private static final byte[] GARBAGE = { 0x00, (byte) 0xFF, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '\r', '\n' };

	private static final Logger logger = LoggerFactory.getLogger(TcpProxy.class);

	private final String host;

	private final int port;

	private final AtomicInteger nextBackend = new AtomicInteger();

	private final AtomicInteger connectionNumbers = new AtomicInteger();

	private final AtomicLong accepted = new AtomicLong();

	private final List<Instant> acceptTimes = new ArrayList<>();

	private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();

	private volatile List<InetSocketAddress> backends;

	private volatile Duration latency = Duration.ZERO;

	private volatile boolean blackholed;

	private volatile boolean closed;

	private volatile @Nullable ServerSocket listener;

	private volatile @Nullable Thread acceptor;

	private TcpProxy(String host, int port, ServerSocket listener, List<InetSocketAddress> backends) {
		this.host = host;
		this.port = port;
		this.backends = backends;
		this.listener = listener;
	}

	/**
	 * Starts a proxy on {@code bindHost} and a free port; {@code RedisLab#startProxy} also closes it with the lab.
	 */
	public static TcpProxy start(String bindHost, InetSocketAddress... backends) {
		for (int attempt = 1;; attempt++) {
			int port = FreePorts.pick(bindHost);
			try {
				TcpProxy proxy = new TcpProxy(bindHost, port, listen(bindHost, port), List.of(backends));
				proxy.startAccepting();
				logger.debug("Proxy {} forwarding to {}", proxy.hostAndPort(), proxy.backends);
				return proxy;
			}
			catch (BindException ex) {
				if (attempt == BIND_ATTEMPTS) {
					throw new RedisLabException("Cannot bind a proxy on " + bindHost, ex);
				}
			}
			catch (IOException ex) {
				throw new RedisLabException("Cannot start a proxy on " + bindHost + ":" + port, ex);
			}
		}
	}

	/**
	 * Starts a proxy on {@code bindHost} and the given port, for several proxies that must share one port on different
	 * loopback addresses (the proxies behind a DNS name); {@code RedisLab#startProxy} also closes it with the lab.
	 */
	public static TcpProxy start(String bindHost, int port, InetSocketAddress... backends) {
		try {
			TcpProxy proxy = new TcpProxy(bindHost, port, listen(bindHost, port), List.of(backends));
			proxy.startAccepting();
			logger.debug("Proxy {} forwarding to {}", proxy.hostAndPort(), proxy.backends);
			return proxy;
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot start a proxy on " + bindHost + ":" + port, ex);
		}
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public InetSocketAddress address() {
		return new InetSocketAddress(this.host, this.port);
	}

	/**
	 * The proxy address as {@code host:port}.
	 */
	public String hostAndPort() {
		return this.host + ":" + this.port;
	}

	public List<InetSocketAddress> backends() {
		return this.backends;
	}

	/**
	 * Replaces the backends for new connections; existing connections keep their backend.
	 */
	public void setBackends(InetSocketAddress... backends) {
		this.backends = List.of(backends);
	}

	/**
	 * Closes every current client and backend socket, as a load balancer that drops its connections does.
	 */
	public void killConnections() {
		new ArrayList<>(this.connections).forEach(ProxiedConnection::close);
	}

	/**
	 * Stops listening so new clients get "connection refused" ({@code true}), or listens again on the same port
	 * ({@code false}). Existing connections are left alone.
	 */
	public synchronized void refuseNewConnections(boolean refuse) {
		if (this.closed) {
			throw new RedisLabException("Proxy " + hostAndPort() + " is closed");
		}
		ServerSocket current = this.listener;
		if (refuse && current != null) {
			stopListening(current);
		}
		else if (!refuse && current == null) {
			try {
				this.listener = listen(this.host, this.port);
				startAccepting();
			}
			catch (IOException ex) {
				throw new RedisLabException("Cannot listen again on " + hostAndPort(), ex);
			}
		}
	}

	/**
	 * Delays every forwarded chunk, in both directions, by {@code latency}.
	 */
	public void setLatency(Duration latency) {
		this.latency = latency;
	}

	/**
	 * While on, connections are accepted and read but nothing is forwarded, answered or closed, on new and existing
	 * connections alike. Switching it off resumes forwarding; connections accepted during the black hole had no backend
	 * and are closed then.
	 */
	public void blackhole(boolean on) {
		this.blackholed = on;
		if (!on) {
			new ArrayList<>(this.connections).stream()
				.filter((connection) -> !connection.hasBackend())
				.forEach(ProxiedConnection::close);
		}
	}

	/**
	 * Silences every current connection for good (nothing forwarded, nothing closed, no RST) while new connections
	 * work normally: a host that vanished mid-connection and was replaced behind the same address.
	 */
	public void silenceConnections() {
		new ArrayList<>(this.connections).forEach(ProxiedConnection::silence);
	}

	/**
	 * Sends a few bytes that are not valid RESP to every connected client.
	 */
	public void injectGarbage() {
		new ArrayList<>(this.connections).forEach((connection) -> connection.sendToClient(GARBAGE));
	}

	public int activeConnections() {
		return this.connections.size();
	}

	public long acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * When each connection was accepted, oldest first.
	 */
	public List<Instant> acceptTimes() {
		synchronized (this.acceptTimes) {
			return List.copyOf(this.acceptTimes);
		}
	}

	/**
	 * Stops listening and closes every connection.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		ServerSocket current = this.listener;
		if (current != null) {
			stopListening(current);
		}
		killConnections();
	}

	@Override
	public String toString() {
		return "TcpProxy[" + hostAndPort() + " -> " + this.backends + "]";
	}

	private void startAccepting() {
		ServerSocket serverSocket = this.listener;
		if (serverSocket == null) {
			return;
		}
		Thread thread = new Thread(() -> acceptLoop(serverSocket), "redis-lab-proxy-" + this.port + "-accept");
		thread.setDaemon(true);
		this.acceptor = thread;
		thread.start();
	}

	private void stopListening(ServerSocket serverSocket) {
		this.listener = null;
		closeQuietly(serverSocket);
		// The JDK defers the real close of a socket blocked in accept() until that call returns, and a connection can
		// still slip in meanwhile; only after the accept thread is gone does the port refuse connections.
		Thread thread = this.acceptor;
		if (thread != null && thread != Thread.currentThread()) {
			try {
				thread.join(ACCEPTOR_STOP_TIMEOUT_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				throw new RedisLabException("Proxy " + hostAndPort() + " did not stop accepting connections");
			}
		}
		this.acceptor = null;
	}

	private void acceptLoop(ServerSocket serverSocket) {
		while (!serverSocket.isClosed()) {
			Socket client;
			try {
				client = serverSocket.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.incrementAndGet();
			synchronized (this.acceptTimes) {
				this.acceptTimes.add(Instant.now());
			}
			String name = "redis-lab-proxy-" + this.port + "-" + this.connectionNumbers.incrementAndGet();
			// Connecting to a backend can take up to the connect timeout, so it must not hold up the accept loop.
			Thread connector = new Thread(() -> connect(client, name), name + "-connect");
			connector.setDaemon(true);
			connector.start();
		}
	}

	private void connect(Socket client, String name) {
		Socket backend = null;
		if (!this.blackholed) {
			backend = connectToBackend();
			if (backend == null) {
				logger.debug("Proxy {}: no backend of {} accepted the connection", hostAndPort(), this.backends);
				closeQuietly(client);
				return;
			}
		}
		ProxiedConnection connection = new ProxiedConnection(client, backend, () -> this.blackholed, () -> this.latency,
				this.connections::remove);
		this.connections.add(connection);
		if (this.closed) {
			connection.close();
			return;
		}
		connection.start(name);
	}

	// Round robin; a backend that refuses (or does not answer in time) is skipped in favour of the next one.
	private @Nullable Socket connectToBackend() {
		List<InetSocketAddress> candidates = this.backends;
		if (candidates.isEmpty()) {
			return null;
		}
		int start = Math.floorMod(this.nextBackend.getAndIncrement(), candidates.size());
		for (int i = 0; i < candidates.size(); i++) {
			InetSocketAddress candidate = candidates.get((start + i) % candidates.size());
			Socket socket = new Socket();
			try {
				socket.setTcpNoDelay(true);
				socket.connect(candidate, CONNECT_TIMEOUT_MILLIS);
				return socket;
			}
			catch (IOException ex) {
				closeQuietly(socket);
				logger.debug("Proxy {}: backend {} refused: {}", hostAndPort(), candidate, ex.getMessage());
			}
		}
		return null;
	}

	private static ServerSocket listen(String host, int port) throws IOException {
		ServerSocket serverSocket = new ServerSocket();
		try {
			// Lets the proxy listen again on its port while old connections are still in TIME_WAIT.
			serverSocket.setReuseAddress(true);
			serverSocket.bind(new InetSocketAddress(host, port));
			return serverSocket;
		}
		catch (IOException ex) {
			closeQuietly(serverSocket);
			throw ex;
		}
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Already closed: nothing left to release.
		}
	}

}
