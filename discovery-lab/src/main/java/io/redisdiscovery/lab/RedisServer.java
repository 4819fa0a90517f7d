package io.redisdiscovery.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.lab.internal.Await;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.lab.internal.LabJanitor;
import io.redisdiscovery.lab.internal.TempDirectories;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code redis-server} or Sentinel process the lab started on loopback, with the controls chaos tests need.
 */
public final class RedisServer {

	static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

	private static final int LOG_TAIL_LINES = 25;

	private static final Logger logger = LoggerFactory.getLogger(RedisServer.class);

	private final RedisBinary binary;

	private final NodeSpec spec;

	private final Path directory;

	private final Path configFile;

	private final Path logFile;

	private volatile int port;

	private volatile int tlsPort;

	private volatile @Nullable Process process;

	RedisServer(RedisBinary binary, NodeSpec spec, Path directory) {
		this.binary = binary;
		this.spec = spec;
		this.directory = directory;
		this.configFile = directory.resolve(isSentinel() ? "sentinel.conf" : "redis.conf");
		this.logFile = directory.resolve("redis.log");
	}

	/**
	 * A short name such as {@code sentinel-2}, used in logs and messages.
	 */
	public String name() {
		return this.spec.name();
	}

	public String host() {
		return this.spec.host();
	}

	public int port() {
		return this.port;
	}

	/**
	 * The TLS port, or {@code 0} when the node was started without TLS.
	 */
	public int tlsPort() {
		return this.tlsPort;
	}

	public boolean isTls() {
		return this.spec.tls() != null;
	}

	/**
	 * The port clients and peers are given: the TLS port on a TLS node (the plain port then serves only the lab's own
	 * control connections), the plain port otherwise.
	 */
	public int announcedPort() {
		return isTls() ? this.tlsPort : this.port;
	}

	/**
	 * The address clients are given, as {@code 127.0.0.1:1234}; see {@link #announcedPort()}.
	 */
	public String announcedHostAndPort() {
		return host() + ":" + announcedPort();
	}

	public InetSocketAddress address() {
		return new InetSocketAddress(host(), this.port);
	}

	/**
	 * The address as {@code 127.0.0.1:1234}.
	 */
	public String hostAndPort() {
		return host() + ":" + this.port;
	}

	/**
	 * The PID of the current (or last) process.
	 */
	public long pid() {
		return requireProcess().pid();
	}

	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	public boolean isSentinel() {
		return this.spec.kind() == NodeSpec.Kind.SENTINEL;
	}

	/**
	 * The password the lab authenticates with, if the node has one.
	 */
	public @Nullable String password() {
		return this.spec.password();
	}

	public Path directory() {
		return this.directory;
	}

	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Kills the process with SIGKILL (no shutdown, no AOF rewrite) and waits until it is gone.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current != null && current.isAlive()) {
			logger.debug("Killing {}", this);
			LabJanitor.kill(current, KILL_TIMEOUT);
			if (current.isAlive()) {
				throw new RedisLabException(this + " is still alive " + KILL_TIMEOUT.toMillis() + " ms after SIGKILL");
			}
		}
	}

	/**
	 * Suspends the process with SIGSTOP: the kernel still accepts connections and acknowledges bytes, but nothing
	 * answers and nothing is closed, as with a host that hangs. {@link #thaw()} resumes it.
	 */
	public synchronized void freeze() {
		signal("STOP");
	}

	/**
	 * Resumes a process suspended by {@link #freeze()}.
	 */
	public synchronized void thaw() {
		signal("CONT");
	}

	private void signal(String signal) {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			throw new RedisLabException(this + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(current.pid())).start();
			if (!LabJanitor.waitFor(kill, KILL_TIMEOUT) || kill.exitValue() != 0) {
				throw new RedisLabException("Cannot send SIG" + signal + " to " + this);
			}
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot send SIG" + signal + " to " + this, ex);
		}
	}

	/**
	 * Stops the process gracefully with SIGTERM and waits until it is gone, killing it if it takes too long. A frozen
	 * process is resumed first so that it can handle SIGTERM.
	 */
	public synchronized void stop() {
		Process current = this.process;
		if (current != null && current.isAlive()) {
			signal("CONT");
			logger.debug("Stopping {}", this);
			current.destroy();
			if (!LabJanitor.waitFor(current, STOP_TIMEOUT)) {
				logger.warn("{} did not stop within {} ms after SIGTERM, killing it", this, STOP_TIMEOUT.toMillis());
			}
			LabJanitor.kill(current, KILL_TIMEOUT);
		}
	}

	/**
	 * Stops the process if it runs, starts it again on the same port with the same directory and config, and waits
	 * until it answers PING and has finished loading its data.
	 */
	public synchronized void restart() {
		stop();
		spawn();
		awaitReady(START_TIMEOUT);
	}

	/**
	 * Sends one command on a fresh connection (authenticating if needed) and returns the decoded reply.
	 */
	public @Nullable Object command(String... args) {
		return RespClient.callAuthenticated(address(), RespClient.DEFAULT_TIMEOUT, null, password(), args);
	}

	/**
	 * Returns the {@code INFO} text of one section.
	 */
	public String info(String section) {
		return String.valueOf(command("INFO", section));
	}

	/**
	 * Returns one field of an {@code INFO} section, or {@code null} if the server does not report it.
	 */
	public @Nullable String infoValue(String section, String field) {
		return InfoText.value(info(section), field);
	}

	/**
	 * The first element of {@code ROLE}: {@code master}, {@code slave} or {@code sentinel}.
	 */
	public String role() {
		Object reply = command("ROLE");
		if (reply instanceof List<?> items && !items.isEmpty()) {
			return String.valueOf(items.get(0));
		}
		throw new RedisLabException("Unexpected ROLE reply from " + this + ": " + reply);
	}

	/**
	 * The last lines of the node's log.
	 */
	public List<String> logTail(int lines) {
		try {
			if (!Files.exists(this.logFile)) {
				return List.of();
			}
			List<String> all = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return List.of("(cannot read " + this.logFile + ": " + ex + ")");
		}
	}

	@Override
	public String toString() {
		return name() + "@" + hostAndPort();
	}

	/**
	 * Picks a free port, writes a fresh config and spawns the process; call {@link #awaitReady} afterwards.
	 */
	synchronized void launchOnFreePort() {
		boolean clusterBus = this.spec.kind() == NodeSpec.Kind.CLUSTER;
		LabTls tls = this.spec.tls();
		this.port = (clusterBus && tls == null) ? FreePorts.pickWithClusterBus(host()) : FreePorts.pick(host());
		// With tls-cluster the bus listens on the TLS port + 10000.
		this.tlsPort = (tls == null) ? 0 : clusterBus ? FreePorts.pickWithClusterBus(host()) : FreePorts.pick(host());
		try {
			// A fresh directory: a previous attempt on another port may have left a nodes.conf naming that port.
			TempDirectories.deleteQuietly(this.directory);
			Files.createDirectories(this.directory);
			List<String> lines = new ArrayList<>(this.spec.config().lines(this.port, this.directory));
			if (tls != null) {
				lines.addAll(tls.configLines(this.tlsPort, clusterBus));
			}
			Files.write(this.configFile, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot write the config of " + this, ex);
		}
		spawn();
	}

	/**
	 * Waits until the node answers PING and (data nodes) is no longer loading; fails fast with its log if it dies.
	 */
	void awaitReady(Duration timeout) {
		Await.until(this + " to accept commands", timeout, () -> {
			Process current = requireProcess();
			if (!current.isAlive()) {
				throw startFailure(current);
			}
			Object pong = command("PING");
			if (!"PONG".equals(pong)) {
				throw Await.notYet("PING answered " + pong);
			}
			if (!isSentinel() && !"0".equals(infoValue("persistence", "loading"))) {
				throw Await.notYet(this + " is still loading its data");
			}
			return Boolean.TRUE;
		});
	}

	private RedisLabException startFailure(Process current) {
		List<String> tail = logTail(LOG_TAIL_LINES);
		String message = this + " (" + this.binary.path() + " " + this.binary.version() + ") exited with code "
				+ current.exitValue() + " during startup. Last lines of " + this.logFile + ":\n  "
				+ String.join("\n  ", tail);
		boolean portConflict = tail.stream().anyMatch((line) -> line.contains("Address already in use"));
		return portConflict ? new PortConflictException(message) : Await.abort(message);
	}

	private void spawn() {
		List<String> command = new ArrayList<>();
		command.add(this.binary.path().toString());
		command.add(this.configFile.toString());
		if (isSentinel()) {
			command.add("--sentinel");
		}
		try {
			Process started = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			// Registered before anything else can fail, so the JVM exit hook always knows about it.
			LabJanitor.register(started);
			this.process = started;
			logger.debug("Started {} with pid {}", this, started.pid());
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot start " + this + " with " + command, ex);
		}
	}

	private Process requireProcess() {
		Process current = this.process;
		if (current == null) {
			throw new RedisLabException(this + " was never started");
		}
		return current;
	}

	/**
	 * The node could not bind its port (someone else took it between the check and the start); the lab retries on
	 * another port.
	 */
	static final class PortConflictException extends Await.Abort {

		private static final long serialVersionUID = 1L;

		PortConflictException(String message) {
			super(message);
		}

	}

}
