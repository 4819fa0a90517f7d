package io.redisdiscovery.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Checks in the background whether an address still accepts TCP connections, one check per address at a time.
 *
 * @since 0.1.0
 */
final class ConnectCheck implements AutoCloseable {

	private static final long STOP_TIMEOUT_SECONDS = 5;

	private final int port;

	private final Duration timeout;

	private final BiConsumer<InetAddress, Boolean> outcome;

	private final Set<InetAddress> running = ConcurrentHashMap.newKeySet();

	private final AtomicLong started = new AtomicLong();

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "redis-discovery-dns-check");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates a checker.
	 * @param port the port to connect to
	 * @param timeout longest wait for a connection to be accepted
	 * @param outcome told the address and whether it accepted the connection
	 */
	ConnectCheck(int port, Duration timeout, BiConsumer<InetAddress, Boolean> outcome) {
		this.port = port;
		this.timeout = timeout;
		this.outcome = outcome;
	}

	/**
	 * Starts a check of the address, unless one is running already.
	 * @param address the address
	 */
	void check(InetAddress address) {
		if (!this.running.add(address)) {
			return;
		}
		this.started.incrementAndGet();
		try {
			this.executor.execute(() -> {
				try {
					this.outcome.accept(address, accepts(address));
				}
				finally {
					this.running.remove(address);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile: nothing to check any more.
			this.running.remove(address);
		}
	}

	/**
	 * How many checks were started, for tests.
	 * @return the number of checks
	 */
	long checksStarted() {
		return this.started.get();
	}

	private boolean accepts(InetAddress address) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, this.port), (int) this.timeout.toMillis());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
