package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a shared connection that stopped answering, long before its commands time out, once a new connection
 * shows that the server itself answers.
 * <p>
 * A peer that goes silent without a reset (a frozen balancer backend whose health check still passes, a host gone
 * behind a NAT) leaves the connection open, and the {@link StalledConnectionGuard} only sees it when commands time
 * out, two command timeouts of traffic later. This watch looks at each shared connection on its channel's event loop,
 * every half of the {@code silence}: when commands wait for a reply and nothing was read for {@code silence}, it
 * probes the server through a new connection. If the probe is answered within {@code silence} and the old connection
 * is still silent, the path of the old connection is dead, not the server, and the old connection is replaced; its
 * waiting commands fail at once and the retry sends them again on the new one (or reports a write whose outcome is
 * unknown, as a timeout would).
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

	private final Supplier<List<StatefulConnection<?, ?>>> watched;

	private final BooleanSupplier probe;

	private final Consumer<StatefulConnection<?, ?>> replace;

	private final Executor prober;

	private final long silenceNanos;

	private final ScheduledExecutorService timer;

	/** One probe at a time: the shared connections share their server. */
	private final AtomicBoolean probing = new AtomicBoolean();

	/**
	 * Starts watching.
	 * @param silence how long commands may wait without any byte read before a probe
	 * @param watched the shared connections that are set up now
	 * @param probe whether a new connection answers the probe within {@code silence}; blocks
	 * @param replace replaces a connection found silent
	 * @param prober runs the probes
	 */
	SilentConnectionWatch(Duration silence, Supplier<List<StatefulConnection<?, ?>>> watched, BooleanSupplier probe,
			Consumer<StatefulConnection<?, ?>> replace, Executor prober) {
		this.watched = watched;
		this.probe = probe;
		this.replace = replace;
		this.prober = prober;
		this.silenceNanos = silence.toNanos();
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-silence-watch");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(1, silence.toMillis() / 2);
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
			channel.pipeline().addFirst(ReadClock.NAME, new ReadClock());
			return;
		}
		RedisCommand<?, ?, ?> oldest = commands.getStack().peek();
		if (oldest == null || isBlocking(oldest)) {
			clock.waitingSince = 0;
			return;
		}
		long now = System.nanoTime();
		if (clock.waitingSince == 0) {
			clock.waitingSince = now;
		}
		if (clock.quietFor(now) >= this.silenceNanos && this.probing.compareAndSet(false, true)) {
			this.prober.execute(() -> probeThenReplace(connection, channel, clock));
		}
	}

	private void probeThenReplace(StatefulConnection<?, ?> connection, Channel channel, ReadClock clock) {
		try {
			if (this.probe.getAsBoolean() && stillSilent(channel, clock)) {
				logger.warn("The shared Redis connection read nothing for {} ms while its commands waited, and a new "
						+ "connection answers: replacing it", Duration.ofNanos(this.silenceNanos).toMillis());
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

	private boolean stillSilent(Channel channel, ReadClock clock) {
		return CompletableFuture
			.supplyAsync(() -> clock.waitingSince != 0 && clock.quietFor(System.nanoTime()) >= this.silenceNanos,
					channel.eventLoop())
			.join();
	}

	private static boolean isBlocking(RedisCommand<?, ?, ?> command) {
		return BlockingCommandTimeouts
			.isBlockingCommand(new String(command.getType().getBytes(), StandardCharsets.US_ASCII));
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
