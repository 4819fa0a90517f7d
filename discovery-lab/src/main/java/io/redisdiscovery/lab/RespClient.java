package io.redisdiscovery.lab;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A tiny blocking RESP2 client over one socket: replies decode to {@code String}, {@code Long}, {@code List<Object>} or
 * {@code null}, and error replies throw {@link RedisLabException} carrying the server's message.
 */
public final class RespClient implements AutoCloseable {

	/** The timeout the lab uses when it talks to its own servers. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final InetSocketAddress address;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RespClient(InetSocketAddress address, Socket socket) throws IOException {
		this.address = address;
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = new BufferedOutputStream(socket.getOutputStream());
	}

	/**
	 * Opens a connection; {@code timeout} bounds the connect and every later read.
	 */
	public static RespClient connect(InetSocketAddress address, Duration timeout) {
		Socket socket = new Socket();
		try {
			int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(millis);
			socket.connect(address, millis);
			return new RespClient(address, socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new RedisLabException("Cannot connect to " + hostAndPort(address) + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Connects, sends one command, returns the decoded reply and disconnects.
	 */
	public static @Nullable Object call(InetSocketAddress address, Duration timeout, String... args) {
		try (RespClient client = connect(address, timeout)) {
			return client.call(args);
		}
	}

	/**
	 * Connects, authenticates when a password is given, sends one command and disconnects.
	 */
	public static @Nullable Object callAuthenticated(InetSocketAddress address, Duration timeout,
			@Nullable String username, @Nullable String password, String... args) {
		try (RespClient client = connect(address, timeout)) {
			if (password != null) {
				client.auth(username, password);
			}
			return client.call(args);
		}
	}

	/**
	 * Authenticates with {@code requirepass} (the default user).
	 */
	public RespClient auth(String password) {
		return auth(null, password);
	}

	/**
	 * Authenticates as an ACL user, or as the default user when {@code username} is {@code null}.
	 */
	public RespClient auth(@Nullable String username, String password) {
		if (username == null) {
			call("AUTH", password);
		}
		else {
			call("AUTH", username, password);
		}
		return this;
	}

	/**
	 * Sends one command and returns its decoded reply.
	 */
	public @Nullable Object call(String... args) {
		try {
			write(args);
			Object reply = read();
			throwIfError(reply);
			return reply;
		}
		catch (IOException ex) {
			throw new RedisLabException("I/O error on " + hostAndPort(this.address) + " while sending "
					+ describe(args) + ": " + ex, ex);
		}
	}

	public InetSocketAddress address() {
		return this.address;
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private void write(String[] args) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			buffer.writeBytes(bytes);
			buffer.writeBytes(new byte[] { '\r', '\n' });
		}
		this.out.write(buffer.toByteArray());
		this.out.flush();
	}

	private @Nullable Object read() throws IOException {
		int type = this.in.read();
		if (type < 0) {
			throw new EOFException("connection closed by the server");
		}
		switch (type) {
			case '+':
				return readLine();
			case '-':
				return new ErrorReply(readLine());
			case ':':
				return Long.parseLong(readLine());
			case '$': {
				int length = Integer.parseInt(readLine());
				if (length < 0) {
					return null;
				}
				byte[] bytes = this.in.readNBytes(length);
				if (bytes.length < length || this.in.read() != '\r' || this.in.read() != '\n') {
					throw new EOFException("truncated bulk string");
				}
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(readLine());
				if (count < 0) {
					return null;
				}
				List<@Nullable Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(read());
				}
				return items;
			}
			default:
				throw new IOException("Protocol error: unexpected RESP type byte 0x" + Integer.toHexString(type));
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = this.in.read();
			if (b < 0) {
				throw new EOFException("connection closed in the middle of a reply");
			}
			if (b == '\r') {
				if (this.in.read() != '\n') {
					throw new IOException("Protocol error: CR not followed by LF");
				}
				return line.toString(StandardCharsets.UTF_8);
			}
			line.write(b);
		}
	}

	// The whole reply is read before throwing, so the connection stays usable after an error.
	private static void throwIfError(@Nullable Object reply) {
		if (reply instanceof ErrorReply error) {
			throw new RedisLabException(error.message());
		}
		if (reply instanceof List<?> items) {
			items.forEach(RespClient::throwIfError);
		}
	}

	private static String describe(String[] args) {
		// Never echo AUTH passwords into exception messages.
		if (args.length > 0 && args[0].equalsIgnoreCase("AUTH")) {
			return "AUTH";
		}
		return Arrays.toString(args.length > 6 ? Arrays.copyOf(args, 6) : args);
	}

	static String hostAndPort(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing useful to do: the socket is being discarded.
		}
	}

	private record ErrorReply(String message) {
	}

}
