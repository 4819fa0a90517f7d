package io.redisdiscovery.lab.sentinel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import io.redisdiscovery.lab.RedisLabException;
import io.redisdiscovery.lab.RespClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Redis Enterprise's Sentinel discovery service (port 8001): a RESP server that answers only
 * {@code SENTINEL MASTER/MASTERS/SLAVES/SENTINELS/GET-MASTER-ADDR-BY-NAME}, {@code PING}, {@code SUBSCRIBE} and
 * {@code UNSUBSCRIBE} (never publishing anything), and errors on everything else, {@code HELLO},
 * {@code PSUBSCRIBE} and {@code SENTINEL REPLICAS} included. Master and replica questions are forwarded to real
 * Sentinels, so failovers are real; {@code SENTINEL SENTINELS} is always empty.
 */
public final class DiscoveryServiceStandIn implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryServiceStandIn.class);

	private static final Set<String> FORWARDED = Set.of("MASTER", "MASTERS", "SLAVES", "GET-MASTER-ADDR-BY-NAME");

	private static final int MAX_ARGUMENTS = 64;

	private static final int MAX_BULK_BYTES = 64 * 1024;

	private final ServerSocket listener;

	private final Supplier<List<InetSocketAddress>> sentinels;

	private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

	private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

	private final Thread acceptor;

	private volatile boolean closed;

	private DiscoveryServiceStandIn(ServerSocket listener, Supplier<List<InetSocketAddress>> sentinels) {
		this.listener = listener;
		this.sentinels = sentinels;
		this.acceptor = new Thread(this::accept, "discovery-service-stand-in-" + listener.getLocalPort());
		this.acceptor.setDaemon(true);
	}

	/**
	 * Starts a stand-in on 127.0.0.1 and a free port.
	 * @param sentinels the live Sentinels to forward master and replica questions to, asked in order
	 * @return the running stand-in
	 */
	public static DiscoveryServiceStandIn start(Supplier<List<InetSocketAddress>> sentinels) {
		try {
			ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
			DiscoveryServiceStandIn standIn = new DiscoveryServiceStandIn(listener, sentinels);
			standIn.acceptor.start();
			return standIn;
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot start the discovery service stand-in", ex);
		}
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * The address as {@code 127.0.0.1:port}.
	 */
	public String hostAndPort() {
		return "127.0.0.1:" + port();
	}

	/**
	 * Every command received so far, as its upper-case name (and sub-command for SENTINEL), in order.
	 */
	public List<String> receivedCommands() {
		return List.copyOf(this.received);
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.listener);
		this.clients.forEach(DiscoveryServiceStandIn::closeQuietly);
		try {
			this.acceptor.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "DiscoveryServiceStandIn[" + hostAndPort() + "]";
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket socket = this.listener.accept();
				this.clients.add(socket);
				Thread thread = new Thread(() -> serve(socket), "discovery-service-client-" + socket.getPort());
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					logger.debug("Stand-in accept failed", ex);
				}
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			int subscriptions = 0;
			while (!this.closed) {
				List<String> command = readCommand(in);
				if (command == null) {
					return;
				}
				if (command.isEmpty()) {
					continue;
				}
				String name = command.get(0).toUpperCase(Locale.ROOT);
				this.received.add(name.equals("SENTINEL") && command.size() > 1
						? name + " " + command.get(1).toUpperCase(Locale.ROOT) : name);
				switch (name) {
					case "PING" -> writeSimple(out, "PONG");
					case "QUIT" -> {
						writeSimple(out, "OK");
						out.flush();
						return;
					}
					case "SENTINEL" -> sentinel(out, command);
					case "SUBSCRIBE" -> {
						for (String channel : command.subList(1, command.size())) {
							writeSubscription(out, "subscribe", channel, ++subscriptions);
						}
					}
					case "UNSUBSCRIBE" -> {
						for (String channel : command.subList(1, command.size())) {
							subscriptions = Math.max(0, subscriptions - 1);
							writeSubscription(out, "unsubscribe", channel, subscriptions);
						}
					}
					default -> writeError(out, "ERR unknown command '" + command.get(0) + "'");
				}
				out.flush();
			}
		}
		catch (IOException ex) {
			logger.debug("Stand-in client connection ended: {}", ex.toString());
		}
		finally {
			this.clients.remove(socket);
		}
	}

	private void sentinel(OutputStream out, List<String> command) throws IOException {
		String sub = (command.size() > 1) ? command.get(1).toUpperCase(Locale.ROOT) : "";
		if (sub.equals("SENTINELS")) {
			writeArrayHeader(out, 0);
			return;
		}
		if (!FORWARDED.contains(sub)) {
			writeError(out, "ERR unknown subcommand '" + ((command.size() > 1) ? command.get(1) : "") + "'");
			return;
		}
		RedisLabException last = null;
		for (InetSocketAddress sentinel : this.sentinels.get()) {
			try {
				writeValue(out, RespClient.call(sentinel, RespClient.DEFAULT_TIMEOUT, command.toArray(String[]::new)));
				return;
			}
			catch (RedisLabException ex) {
				last = ex;
			}
		}
		writeError(out, "ERR no Sentinel answered" + ((last != null) ? ": " + last.getMessage() : ""));
	}

	private static @Nullable List<String> readCommand(InputStream in) throws IOException {
		int type = in.read();
		if (type < 0) {
			return null;
		}
		if (type != '*') {
			throw new IOException("Only RESP arrays of bulk strings are supported");
		}
		int count = Integer.parseInt(readLine(in));
		if (count < 0 || count > MAX_ARGUMENTS) {
			throw new IOException("Bad argument count " + count);
		}
		List<String> args = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			if (in.read() != '$') {
				throw new IOException("Expected a bulk string");
			}
			int length = Integer.parseInt(readLine(in));
			if (length < 0 || length > MAX_BULK_BYTES) {
				throw new IOException("Bad bulk length " + length);
			}
			byte[] bytes = in.readNBytes(length);
			if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
				throw new EOFException("Truncated bulk string");
			}
			args.add(new String(bytes, StandardCharsets.UTF_8));
		}
		return args;
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\r'; b = in.read()) {
			if (b < 0) {
				throw new EOFException("Connection closed mid-line");
			}
			line.write(b);
		}
		if (in.read() != '\n') {
			throw new IOException("CR not followed by LF");
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private static void writeValue(OutputStream out, @Nullable Object value) throws IOException {
		if (value == null) {
			write(out, "$-1\r\n");
		}
		else if (value instanceof Long number) {
			write(out, ":" + number + "\r\n");
		}
		else if (value instanceof List<?> items) {
			writeArrayHeader(out, items.size());
			for (Object item : items) {
				writeValue(out, item);
			}
		}
		else {
			writeBulk(out, String.valueOf(value));
		}
	}

	private static void writeSubscription(OutputStream out, String kind, String channel, int count)
			throws IOException {
		writeArrayHeader(out, 3);
		writeBulk(out, kind);
		writeBulk(out, channel);
		write(out, ":" + count + "\r\n");
	}

	private static void writeArrayHeader(OutputStream out, int size) throws IOException {
		write(out, "*" + size + "\r\n");
	}

	private static void writeBulk(OutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		write(out, "$" + bytes.length + "\r\n");
		out.write(bytes);
		write(out, "\r\n");
	}

	private static void writeSimple(OutputStream out, String value) throws IOException {
		write(out, "+" + value + "\r\n");
	}

	private static void writeError(OutputStream out, String message) throws IOException {
		write(out, "-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n");
	}

	private static void write(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.UTF_8));
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Being discarded.
		}
	}

}
