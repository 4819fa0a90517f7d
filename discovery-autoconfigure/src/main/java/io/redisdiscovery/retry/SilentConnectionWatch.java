package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a connection in use (a shared one, a dedicated one lent to a pipeline, a transaction or an application
 * that does not share connections, or a Pub/Sub subscriber) that stopped answering, long before its commands time
 * out, once a new connection shows that the server itself answers.
 * <p>
 * A peer that goes silent without a reset (a frozen balancer backend whose health check still passes, a host gone
 * behind a NAT) leaves the connection open, and the {@link StalledConnectionGuard} only sees it when commands time out,
 * two command timeouts of traffic later. This watch looks at each connection in use on its channel's event loop, every
 * third of the quick silence (10 ms): when commands wait for a reply and nothing was read for long enough, it probes
 * the server through a new connection. If the probe is answered and the old connection is still silent, the path of the
 * old connection is dead, not the server, and the old connection is replaced; its waiting commands fail at once and the
 * retry sends them again on the new one (or reports a write whose outcome is unknown, as a timeout would).
 * <p>
 * A subscriber has no command waiting: one that read nothing for the full {@code silence} is sent a {@code PING}
 * (allowed while subscribed), whose reply the watch then waits for as for any other command. TCP keepalive cannot
 * see such a silence, since the far end of the path (a frozen backend's host, a proxy) still acknowledges.
 * <p>
 * How long is long enough depends on the oldest waiting command. Redis executes its own commands on a key (not a
 * module's) on the thread that would answer the probe, which goes to the same hash slot ({@link ProbeKey}), and answers
 * {@code PING} and {@code MULTI} at once: a probe answered while such a command is not is strong evidence, and the
 * watch probes after {@link #QUICK_SILENCE}. Any other command (no key, or a module's, which may run on the module's
 * own threads while the server answers others) waits for the full {@code silence}. A connection that a quick probe
 * finds answering after all (a link whose round trip is longer than the quick silence, a busy shard) doubles its quick
 * silence, up to the full one, so a slow link costs a few probes, not one per command.
 * <p>
 * What it leaves alone: a reply that streams in slowly (bytes are read), a blocking command, and a server that is
 * busy or paused, because the probe waits as long as the old connection's commands do. The probe is a write that
 * changes nothing ({@code DEL} of a key that does not exist), not a {@code PING}: a server that pauses writes
 * ({@code CLIENT PAUSE WRITE}, as a failover does) answers a {@code PING} at once while a {@code SET} waits.
 *
 * @since 0.1.0
 */
final class SilentConnectionWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SilentConnectionWatch.class);

	/**
	 * The silence after which a command on a key is probed for: far above a round trip within a data centre, and
	 * short enough that the probe, the replacement and the retried command still fit in the 100 ms in which traffic
	 * should flow again (at 50 ms, the median on a silenced path was 104 ms, at 30 ms 81 ms). A longer round trip
	 * costs a few probes ({@link ReadClock#answeredAfterQuickProbe(long)}).
	 */
	static final Duration QUICK_SILENCE = Duration.ofMillis(30);

	/**
	 * Commands without a key that a server, or a proxy in front of one, answers at once without touching data: a
	 * transaction's {@code MULTI} and the {@code PING} sent to a subscriber. A path that leaves them unanswered while
	 * a probe is answered is dead, as for a command on a key.
	 */
	private static final Set<ProtocolKeyword> ANSWERED_AT_ONCE = Set.of(CommandType.PING, CommandType.MULTI);

	/** Checks run this many times per quick silence (every 10 ms), so a silence is seen at most a third of it late. */
	private static final int CHECKS_PER_QUICK_SILENCE = 3;

	private final Supplier<? extends Collection<StatefulConnection<?, ?>>> watched;

	private final Predicate<@Nullable ByteBuffer> probe;

	private final Consumer<StatefulConnection<?, ?>> replace;

	private final Executor prober;

	private final long silenceNanos;

	private final long quickSilenceNanos;

	private final ScheduledExecutorService timer;

	/** One probe at a time: the connections share their server. */
	private final AtomicBoolean probing = new AtomicBoolean();

	/**
	 * Starts watching.
	 * @param silence how long commands other than quick ones may wait without any byte read before a probe
	 * @param watched the connections in use now
	 * @param probe whether a new connection answers the probe, to be sent to the slot of the given key (the oldest
	 * waiting command's first key, {@code null} when it has none); blocks
	 * @param replace replaces a connection found silent
	 * @param prober runs the probes
	 */
	SilentConnectionWatch(Duration silence, Supplier<? extends Collection<StatefulConnection<?, ?>>> watched,
			Predicate<@Nullable ByteBuffer> probe, Consumer<StatefulConnection<?, ?>> replace, Executor prober) {
		this.watched = watched;
		this.probe = probe;
		this.replace = replace;
		this.prober = prober;
		this.silenceNanos = silence.toNanos();
		this.quickSilenceNanos = Math.min(QUICK_SILENCE.toNanos(), this.silenceNanos);
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-silence-watch");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.quickSilenceNanos) / CHECKS_PER_QUICK_SILENCE);
		this.timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
	}

	private void check() {
		for (StatefulConnection<?, ?> connection : this.watched.get()) {
			Channel channel = LettuceChannels.channelOf(connection);
			if (channel != null && channel.isActive()) {
				channel.eventLoop().execute(() -> observe(connection, channel));
			}
		}
	}

	/** Runs on the channel's event loop, as the command handler's stack and the read clock do. */
	private void observe(StatefulConnection<?, ?> connection, Channel channel) {
		CommandHandler commands = channel.pipeline().get(CommandHandler.class);
		if (commands == null) {
			return;
		}
		ReadClock clock = channel.pipeline().get(ReadClock.class);
		if (clock == null) {
			channel.pipeline().addFirst(ReadClock.NAME, new ReadClock(this.quickSilenceNanos));
			return;
		}
		RedisCommand<?, ?, ?> oldest = commands.getStack().peek();
		long now = System.nanoTime();
		if (oldest == null) {
			clock.waitingSince = 0;
			pingIfQuietSubscriber(connection, clock, now);
			return;
		}
		if (BlockingCommandTimeouts.mayBlock(oldest)) {
			clock.waitingSince = 0;
			return;
		}
		if (clock.waitingSince == 0) {
			clock.waitingSince = now;
		}
		long quiet = clock.quietFor(now);
		if (quiet < clock.quickSilence) {
			return;
		}
		ByteBuffer key = firstKey(oldest);
		boolean quick = isQuick(oldest, key);
		long silence = quick ? clock.quickSilence : this.silenceNanos;
		if (quiet >= silence && this.probing.compareAndSet(false, true)) {
			long lastRead = clock.lastRead;
			this.prober.execute(() -> probeThenReplace(connection, channel, clock, key, lastRead, silence, quick));
		}
	}

	/** A subscriber waits for messages, not replies: a {@code PING} gives its silence a command to be seen by. */
	private void pingIfQuietSubscriber(StatefulConnection<?, ?> connection, ReadClock clock, long now) {
		if (connection instanceof StatefulRedisPubSubConnection<?, ?> subscriber
				&& clock.quietFor(now) >= this.silenceNanos) {
			subscriber.async().ping();
		}
	}

	private void probeThenReplace(StatefulConnection<?, ?> connection, Channel channel, ReadClock clock,
			@Nullable ByteBuffer key, long lastRead, long silence, boolean quick) {
		try {
			if (this.probe.test(key) && stillSilent(channel, clock, lastRead, quick)) {
				logger.warn("A Redis connection read nothing for {} ms while its commands waited, and a new "
						+ "connection answers: replacing it", Duration.ofNanos(silence).toMillis());
				this.replace.accept(connection);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Probing Redis through a new connection failed", ex);
		}
		finally {
			this.probing.set(false);
		}
	}

	/**
	 * Whether the connection read nothing since the silence was seen, while the probe was answered (quiet for the
	 * silence now is not enough: on a slow link the reply to an earlier command may have come, and the next one be
	 * waiting again); if it did read after a quick probe, its quick silence doubles.
	 */
	private boolean stillSilent(Channel channel, ReadClock clock, long lastRead, boolean quick) {
		return CompletableFuture.supplyAsync(() -> {
			boolean silent = clock.waitingSince != 0 && clock.lastRead == lastRead;
			if (!silent && quick) {
				clock.answeredAfterQuickProbe(this.silenceNanos);
			}
			return silent;
		}, channel.eventLoop()).join();
	}

	/**
	 * Whether the command is one of Redis's own on a key, or one {@linkplain #ANSWERED_AT_ONCE answered at once}: the
	 * server executes it on the thread that answers the probe, and the probe goes to its hash slot. Redis's own means
	 * known to the {@link RedisCommandTable}, not any {@link CommandType}: Lettuce lists modules' commands there too
	 * ({@code JSON.GET}, {@code FT.SEARCH}), and a search may run on the module's threads while the server answers the
	 * probe. Blocking commands are never watched.
	 * @param command the oldest waiting command
	 * @param firstKey its first key, or {@code null}
	 * @return whether its silence is probed after the quick silence
	 */
	static boolean isQuick(RedisCommand<?, ?, ?> command, @Nullable ByteBuffer firstKey) {
		if (firstKey == null) {
			return ANSWERED_AT_ONCE.contains(command.getType());
		}
		return RedisCommandTable.find(BlockingCommandTimeouts.nameOf(command)) != null;
	}

	/**
	 * The command's first key, as encoded.
	 * @param command a command
	 * @return its first key, or {@code null} when it has none
	 */
	static @Nullable ByteBuffer firstKey(RedisCommand<?, ?, ?> command) {
		CommandArgs<?, ?> args = command.getArgs();
		return (args != null) ? args.getFirstEncodedKey() : null;
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	/**
	 * When the channel last read anything, and since when commands wait. Both are read and written on the channel's
	 * event loop only.
	 */
	static final class ReadClock extends ChannelInboundHandlerAdapter {

		static final String NAME = "redis-discovery-read-clock";

		private long lastRead = System.nanoTime();

		private long waitingSince;

		/** The silence that makes a quick command probed for, on this connection. */
		private long quickSilence;

		ReadClock(long quickSilence) {
			this.quickSilence = quickSilence;
		}

		/** A quick probe found this connection answering after all: probe later next time, up to {@code max}. */
		void answeredAfterQuickProbe(long max) {
			this.quickSilence = Math.min(max, this.quickSilence * 2);
		}

		long quietFor(long now) {
			return now - Math.max(this.lastRead, this.waitingSince);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.lastRead = System.nanoTime();
			ctx.fireChannelRead(msg);
		}

	}

}
