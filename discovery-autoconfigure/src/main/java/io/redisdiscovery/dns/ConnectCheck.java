package io.redisdiscovery.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Checks in the background whether an address still accepts TCP connections; the {@link AddressBook} keeps one check
 * per address at a time.
 *
 * @since 0.1.0
 */
final class ConnectCheck implements AutoCloseable {

	private static final long STOP_TIMEOUT_SECONDS = 5;

	private final int port;

	private final Duration timeout;

	private final BiConsumer<InetAddress, Boolean> outcome;

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
	 * @param outcome told the address and whether it accepted the connection, on the check's thread
	 */
	ConnectCheck(int port, Duration timeout, BiConsumer<InetAddress, Boolean> outcome) {
		this.port = port;
		this.timeout = timeout;
		this.outcome = outcome;
	}

	/**
	 * Starts a check of the address.
	 * @param address the address
	 * @return whether the check started; {@code false} when closed meanwhile, and the outcome never comes
	 */
	boolean check(InetAddress address) {
		this.started.incrementAndGet();
		try {
			this.executor.execute(() -> this.outcome.accept(address, accepts(address)));
			return true;
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile: nothing to check any more.
			return false;
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
