package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.redisdiscovery.lab.RespClient;
import org.jspecify.annotations.Nullable;

/**
 * Polls the lab every {@value #POLL_MILLIS} ms on its own thread until a probe sees the server side healed, and keeps
 * the moment of the reply that first showed it. The lab's own waits come later on purpose: they ask for more (every
 * Sentinel agreeing, a healthy cluster) and poll over fresh connections, so the moment they return can trail the
 * event by up to a Sentinel hello period (2 s).
 */
final class HealWatch implements AutoCloseable {

	static final long POLL_MILLIS = 10;

	private final Connections connections;

	private final CompletableFuture<Long> healedAt = new CompletableFuture<>();

	private final Thread thread;

	private volatile boolean closed;

	private HealWatch(String what, Duration callTimeout, Probe probe) {
		this.connections = new Connections(callTimeout);
		this.thread = new Thread(() -> poll(probe), "heal-watch-" + what);
		this.thread.setDaemon(true);
	}

	/**
	 * Starts polling.
	 * @param what what is awaited, for the thread name and the timeout message
	 * @param callTimeout the connect and read timeout of each command the probe sends
	 * @param probe whether the server side has healed; any exception means "not yet"
	 * @return the running watch
	 */
	static HealWatch start(String what, Duration callTimeout, Probe probe) {
		HealWatch watch = new HealWatch(what, callTimeout, probe);
		watch.thread.start();
		return watch;
	}

	private void poll(Probe probe) {
		try {
			while (!this.closed) {
				try {
					if (probe.healed(this.connections)) {
						this.healedAt.complete(System.nanoTime());
						return;
					}
				}
				catch (RuntimeException ex) {
					// Not yet: refused, timed out, or an error reply such as LOADING.
				}
				Thread.sleep(POLL_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.connections.close();
		}
	}

	/**
	 * Waits for the probe to see the server side healed.
	 * @param timeout how long to wait
	 * @return the {@link System#nanoTime()} of the reply that showed it
	 * @throws Exception when it was not seen in time
	 */
	long await(Duration timeout) throws Exception {
		try {
			return this.healedAt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No heal seen by " + this.thread.getName() + " in " + timeout, ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
	}

	/** One poll of the server side. */
	@FunctionalInterface
	interface Probe {

		boolean healed(Connections redis);

	}

	/**
	 * One connection per address, kept across polls (a fresh connection per poll would add a handshake to every
	 * observation) and dropped when a command fails.
	 */
	static final class Connections {

		private final Duration timeout;

		private final Map<InetSocketAddress, RespClient> clients = new HashMap<>();

		Connections(Duration timeout) {
			this.timeout = timeout;
		}

		@Nullable Object call(InetSocketAddress address, String... args) {
			RespClient client = this.clients.computeIfAbsent(address, (key) -> RespClient.connect(key, this.timeout));
			try {
				return client.call(args);
			}
			catch (RuntimeException ex) {
				this.clients.remove(address);
				client.close();
				throw ex;
			}
		}

		void close() {
			this.clients.values().forEach(RespClient::close);
			this.clients.clear();
		}

	}

}
