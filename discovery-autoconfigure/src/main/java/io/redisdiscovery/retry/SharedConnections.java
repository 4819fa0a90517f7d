package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * How a factory keeps its shared connections (imperative and reactive) and dials its connections: set up without a
 * lock ({@link SharedConnectionHolder}), a dial that hangs raced by a second one ({@link HedgedConnectionProvider}),
 * and a connection in use whose peer went silent replaced early ({@link SilentConnectionWatch}). One per factory; it
 * owns the threads that dial and probe.
 *
 * @since 0.1.0
 */
final class SharedConnections implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SharedConnections.class);

	/** The hedge delay is this fraction of the shorter of the connect and command timeouts. */
	private static final int HEDGE_FRACTION = 10;

	/**
	 * No watch for a command timeout this short or shorter: a quick probe could not end before the command times
	 * out.
	 */
	private static final Duration MIN_WATCHED_TIMEOUT = SilentConnectionWatch.QUICK_SILENCE.multipliedBy(2);

	private final Duration connectTimeout;

	private final Duration commandTimeout;

	/** Runs dials and probes, so that callers wait on a dial's future, not on a lock. */
	private final ExecutorService dialer = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "redis-discovery-dial");
		thread.setDaemon(true);
		return thread;
	});

	/** A key that never exists: the silence probe deletes it, which changes nothing. */
	private final String probeKey = "redis-discovery:probe:" + UUID.randomUUID();

	private volatile @Nullable SharedConnectionHolder imperative;

	private volatile @Nullable SharedConnectionHolder reactive;

	private volatile @Nullable SilentConnectionWatch silenceWatch;

	/**
	 * Whether a new connection answers a {@code PING}; {@code null} while no watch runs (a command timeout too short
	 * to probe within).
	 */
	private volatile @Nullable BooleanSupplier serverAnswers;

	/**
	 * Whether a {@link #serverAnswers} check runs: the guard decides once per two timeouts of any thread, and one
	 * check answers for all of them, so that a frozen server is not dialed once per decision.
	 */
	private final AtomicBoolean askingServer = new AtomicBoolean();

	/**
	 * Until when (in {@link System#nanoTime()}) every dial is raced at once: set by a silence probe and by the
	 * replacement of a silent connection, so that both the probe's dial and the dials of the connections that replace
	 * the silent one find a backend that answers without waiting for the hedge delay.
	 */
	private volatile long racingUntil = System.nanoTime();

	/** Whether every dial reaches the same server; see {@link HedgedConnectionProvider}. */
	private volatile boolean oneServer;

	SharedConnections(LettuceClientConfiguration configuration) {
		this.connectTimeout = configuration.getClientOptions()
			.map(ClientOptions::getSocketOptions)
			.map(SocketOptions::getConnectTimeout)
			.orElse(SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION);
		this.commandTimeout = configuration.getCommandTimeout();
	}

	/**
	 * Races a dial that is neither done nor failed after a tenth of the shorter timeout (200 ms with the defaults):
	 * far above a healthy handshake, far below the command timeout that a handshake with a frozen peer costs.
	 * @param dials the client's provider
	 * @return the provider that races hanging dials
	 */
	LettuceConnectionProvider hedged(LettuceConnectionProvider dials) {
		return new HedgedConnectionProvider(dials, this.dialer, hedgeDelay(), this::isRacing, this.oneServer);
	}

	/**
	 * Makes the providers {@linkplain #hedged(LettuceConnectionProvider) hedged} from now on dial once at a time
	 * while racing, since every dial reaches the same server.
	 * @param oneServer whether every dial reaches the same server
	 */
	void dialOneServer(boolean oneServer) {
		this.oneServer = oneServer;
	}

	/**
	 * Cuts short, to the hedge delay, the handshakes that start while every dial is raced: Lettuce's own reconnects
	 * (a subscriber's) included, which are not raced.
	 * @param handshakes the deadline the factory's client resources apply
	 */
	void cutShortWhileRacing(HandshakeDeadline handshakes) {
		handshakes.bind(this::isRacing, hedgeDelay());
	}

	private Duration hedgeDelay() {
		Duration shorter = (this.connectTimeout.compareTo(this.commandTimeout) < 0) ? this.connectTimeout
				: this.commandTimeout;
		return shorter.dividedBy(HEDGE_FRACTION);
	}

	private boolean isRacing() {
		return System.nanoTime() - this.racingUntil < 0;
	}

	/**
	 * Starts watching the connections in use for silence (a quarter of the command timeout, and at least 250 ms, for
	 * commands that are not quick), probing through {@code dials}; a later call replaces the watch (the factory was
	 * started again).
	 * @param dials makes the probe's connections, outside any pool
	 * @param inUse the connections handed out now besides the shared ones: dedicated ones (such as a pipeline's
	 * pooled connection) and subscribers
	 * @param onSilence also run when a connection is replaced, such as emptying a pool that took the same path
	 */
	void watchForSilence(LettuceConnectionProvider dials, Supplier<List<StatefulConnection<?, ?>>> inUse,
			Runnable onSilence) {
		SilentConnectionWatch previous = this.silenceWatch;
		if (previous != null) {
			previous.close();
		}
		this.serverAnswers = null;
		if (this.commandTimeout.compareTo(MIN_WATCHED_TIMEOUT) <= 0) {
			return;
		}
		// Under a one-second timeout a command that is not quick may time out before its probe: the two-timeouts rule
		// then replaces the connection, as without the watch, and quick commands still leave a silent path early.
		Duration silence = QuickCommands.slowSilence(this.commandTimeout);
		this.serverAnswers = () -> answersPing(dials, silence);
		this.silenceWatch = new SilentConnectionWatch(silence, () -> watched(inUse),
				(key) -> answersProbe(dials, silence, key), (connection) -> {
					raceDialsFor(silence);
					onSilence.run();
					replace(connection);
				}, this.dialer);
	}

	/**
	 * Replaces a shared connection whose commands timed out, in the background, unless a new connection does not
	 * answer either. A server that itself stopped answering (a frozen process or host, whose kernel still accepts) is
	 * no better through a new connection, and the replacement would cost the first command after the thaw a
	 * handshake, while the old connection's commands are answered in the server's first pass. Without a watch (a
	 * command timeout too short to probe within) it replaces at once. While a check runs, further requests are left to
	 * it.
	 * @param replace replaces the shared connection
	 */
	void replaceUnlessServerSilent(Runnable replace) {
		BooleanSupplier answers = this.serverAnswers;
		if (answers == null) {
			replace.run();
			return;
		}
		if (!this.askingServer.compareAndSet(false, true)) {
			return;
		}
		runInBackground(() -> {
			try {
				if (answersSafely(answers)) {
					replace.run();
				}
				else {
					logger.warn("A new Redis connection does not answer either: keeping the connection, which the "
							+ "server answers first once it answers again");
				}
			}
			finally {
				this.askingServer.set(false);
			}
		});
	}

	private static boolean answersSafely(BooleanSupplier answers) {
		try {
			return answers.getAsBoolean();
		}
		catch (RuntimeException ex) {
			// The dial failed: the server does not answer a new connection.
			return false;
		}
	}

	/** Replaces a connection found silent: its waiting commands fail now. */
	private void replace(StatefulConnection<?, ?> connection) {
		if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
			// Lettuce reconnects it, resolving the address anew, and subscribes it again.
			LettuceChannels.disconnect(connection);
			return;
		}
		boolean shared = false;
		for (SharedConnectionHolder holder : holders()) {
			shared |= holder.reset(connection);
		}
		// A lent connection stays with its caller until released; the pool drops it when it comes back. One that came
		// back already (its command failed on the pool emptied by an earlier replacement) is closed already.
		if (!shared && !LettuceChannels.isClosed(connection)) {
			connection.closeAsync();
		}
	}

	/**
	 * Keeps the shared connection that Spring Data takes from {@code provider}.
	 * @param codec the provider's codec: byte arrays for the imperative connection, else the reactive one
	 * @param provider the provider Spring Data uses
	 */
	void keep(RedisCodec<?, ?> codec, LettuceConnectionProvider provider) {
		// Lettuce bounds the connect by the connect timeout and the handshake by the command timeout.
		Duration dialBound = this.connectTimeout.plus(this.commandTimeout).plusSeconds(1);
		SharedConnectionHolder holder = new SharedConnectionHolder(() -> connect(provider), provider::release,
				this.dialer, dialBound);
		if (codec instanceof ByteArrayCodec) {
			this.imperative = holder;
		}
		else {
			this.reactive = holder;
		}
	}

	/**
	 * Connects as Spring Data's factory does for its shared connection, whose provider translates every failure to a
	 * {@link RedisConnectionFailureException}.
	 */
	private static StatefulConnection<?, ?> connect(LettuceConnectionProvider provider) {
		try {
			return provider.getConnection(StatefulConnection.class);
		}
		catch (RedisConnectionFailureException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new RedisConnectionFailureException("Unable to connect to Redis", ex);
		}
	}

	/**
	 * The imperative shared connection.
	 * @return its holder, or {@code null} when Spring Data keeps it
	 */
	@Nullable SharedConnectionHolder imperative() {
		return this.imperative;
	}

	/**
	 * The reactive shared connection.
	 * @return its holder, or {@code null} when Spring Data keeps it
	 */
	@Nullable SharedConnectionHolder reactive() {
		return this.reactive;
	}

	/**
	 * Forgets the shared connections at once; see {@link SharedConnectionHolder#reset()}.
	 */
	void reset() {
		holders().forEach(SharedConnectionHolder::reset);
	}

	/**
	 * Runs a task on the dialing threads; a task given once closed is dropped.
	 * @param task what to run
	 */
	void runInBackground(Runnable task) {
		try {
			this.dialer.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed with the factory: nothing is left to act on.
		}
	}

	@Override
	public void close() {
		SilentConnectionWatch watch = this.silenceWatch;
		if (watch != null) {
			watch.close();
		}
		this.dialer.shutdownNow();
	}

	private List<SharedConnectionHolder> holders() {
		List<SharedConnectionHolder> holders = new ArrayList<>(2);
		for (SharedConnectionHolder holder : Arrays.asList(this.imperative, this.reactive)) {
			if (holder != null) {
				holders.add(holder);
			}
		}
		return holders;
	}

	/** The shared connections that are set up, and the others in use (the imperative shared one is lent too). */
	private Collection<StatefulConnection<?, ?>> watched(Supplier<List<StatefulConnection<?, ?>>> inUse) {
		Set<StatefulConnection<?, ?>> watched = Collections.newSetFromMap(new IdentityHashMap<>());
		for (SharedConnectionHolder holder : holders()) {
			StatefulConnection<?, ?> connection = holder.getIfReady();
			if (connection != null) {
				watched.add(connection);
			}
		}
		watched.addAll(inUse.get());
		return watched;
	}

	private void raceDialsFor(Duration duration) {
		this.racingUntil = System.nanoTime() + duration.toNanos();
	}

	/**
	 * Whether a new connection gets any reply to a {@code PING} within {@code silence}: an error (an ACL user without
	 * it) is a reply too. Unlike the watch's probe, it asks whether the server answers at all, not whether it
	 * executes writes.
	 */
	private boolean answersPing(LettuceConnectionProvider dials, Duration silence) {
		return repliesThroughANewConnection(dials, silence, (commands) -> commands.ping(), true);
	}

	/**
	 * Whether a new connection answers a write that changes nothing within {@code silence}, on a key in the slot of
	 * {@code slotOf} when given.
	 */
	private boolean answersProbe(LettuceConnectionProvider dials, Duration silence, @Nullable ByteBuffer slotOf) {
		byte[] inSlot = (slotOf != null) ? ProbeKey.inSlotOf(slotOf, this.probeKey) : null;
		byte[] key = (inSlot != null) ? inSlot : this.probeKey.getBytes(StandardCharsets.UTF_8);
		return repliesThroughANewConnection(dials, silence, (commands) -> commands.del(key), false);
	}

	private boolean repliesThroughANewConnection(LettuceConnectionProvider dials, Duration silence,
			Function<RedisAsyncCommands<byte[], byte[]>, RedisFuture<?>> command, boolean errorIsAReply) {
		raceDialsFor(silence);
		StatefulRedisConnection<byte[], byte[]> probe = dials.getConnection(StatefulRedisConnection.class);
		try {
			command.apply(probe.async()).get(silence.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			return errorIsAReply && ex.getCause() instanceof RedisCommandExecutionException;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			dials.release(probe);
		}
	}

}
