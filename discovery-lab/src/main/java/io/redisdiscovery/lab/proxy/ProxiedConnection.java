package io.redisdiscovery.lab.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One client connection through the proxy and, unless it was black-holed from the start, its backend connection, with
 * one pumping thread per direction.
 */
final class ProxiedConnection {

	private static final int BUFFER_SIZE = 16 * 1024;

	private final Socket client;

	private final @Nullable Socket backend;

	private final Object clientWriteLock = new Object();

	private final BooleanSupplier blackholed;

	private final Supplier<Duration> latency;

	private final Consumer<ProxiedConnection> onClose;

	private volatile boolean closed;

	private volatile boolean silenced;

	ProxiedConnection(Socket client, @Nullable Socket backend, BooleanSupplier blackholed, Supplier<Duration> latency,
			Consumer<ProxiedConnection> onClose) {
		this.client = client;
		this.backend = backend;
		this.blackholed = blackholed;
		this.latency = latency;
		this.onClose = onClose;
	}

	/**
	 * Starts the pumps; a connection without a backend only reads and discards what the client sends.
	 */
	void start(String name) {
		Socket target = this.backend;
		if (target == null) {
			startDaemon(name + "-sink", () -> pump(this.client, null));
			return;
		}
		startDaemon(name + "-up", () -> pump(this.client, target));
		startDaemon(name + "-down", () -> pump(target, this.client));
	}

	/**
	 * From now on this connection forwards nothing and stays open, like a TCP flow whose host vanished without RST.
	 */
	void silence() {
		this.silenced = true;
	}

	boolean hasBackend() {
		return this.backend != null;
	}

	/**
	 * Writes raw bytes to the client, between two forwarded chunks, never inside one.
	 */
	void sendToClient(byte[] bytes) {
		try {
			synchronized (this.clientWriteLock) {
				this.client.getOutputStream().write(bytes);
				this.client.getOutputStream().flush();
			}
		}
		catch (IOException ex) {
			close();
		}
	}

	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		closeQuietly(this.client);
		if (this.backend != null) {
			closeQuietly(this.backend);
		}
		this.onClose.accept(this);
	}

	private void pump(Socket from, @Nullable Socket to) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			InputStream in = from.getInputStream();
			@Nullable OutputStream out = (to != null) ? to.getOutputStream() : null;
			while (!this.closed) {
				int read = in.read(buffer);
				if (read < 0) {
					break;
				}
				if (out == null || this.silenced || this.blackholed.getAsBoolean()) {
					continue;
				}
				Duration delay = this.latency.get();
				if (!delay.isZero()) {
					Thread.sleep(delay.toMillis());
				}
				// Checked again after the delay: a black hole switched on meanwhile swallows this chunk too.
				if (this.silenced || this.blackholed.getAsBoolean()) {
					continue;
				}
				if (to == this.client) {
					synchronized (this.clientWriteLock) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
				else {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// The peer went away or killConnections() closed the socket: the connection ends either way.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close();
		}
	}

	private static void startDaemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed or broken: nothing left to release.
		}
	}

}
