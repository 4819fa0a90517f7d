package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.protocol.RedisHandshakeHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose handshake is not done within the hedge delay while its factory suspects a dead path
 * (from a silence probe until shortly after the silent connection was replaced), so that the next attempt goes
 * elsewhere instead of waiting for the whole command timeout, which is Lettuce's bound on a handshake.
 * <p>
 * Behind a balancer with a frozen backend (it accepts, its health check passes, nothing answers), half the new
 * connections land on that backend. The factory's own dials are raced two at once ({@link HedgedConnectionProvider}),
 * but Lettuce reconnects a Pub/Sub subscriber itself, with one dial: one that lands on the frozen backend would keep
 * the subscriber deaf for a command timeout. Cut short, the reconnect fails, and Lettuce's next attempt (paced short
 * while a subscriber is cut off) goes to the next backend. A healthy handshake takes a few milliseconds, far below
 * the hedge delay; outside a suspected dead path, handshakes keep Lettuce's bound.
 * <p>
 * It customizes the channels of the client resources it is given to; {@link RetryingLettuceConnectionFactory} binds
 * it to its own suspicion ({@link RetryingLettuceConnectionFactory#setHandshakeDeadline(HandshakeDeadline)}).
 *
 * @since 0.1.0
 */
public final class HandshakeDeadline implements NettyCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(HandshakeDeadline.class);

	private static final String NAME = "redis-discovery-handshake-deadline";

	private volatile BooleanSupplier pathSuspected = () -> false;

	private volatile long deadlineNanos;

	/**
	 * Applies the deadline to handshakes that start while {@code pathSuspected} says so.
	 * @param pathSuspected whether a dead path is suspected now
	 * @param deadline how long a handshake may take then
	 */
	void bind(BooleanSupplier pathSuspected, Duration deadline) {
		this.deadlineNanos = deadline.toNanos();
		this.pathSuspected = pathSuspected;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		// First, so that it sees the channel go active before the handshake handler, which passes that on only once
		// the handshake is done.
		channel.pipeline().addFirst(NAME, new Guard());
	}

	/** Starts the deadline when the channel is connected, then leaves the pipeline. */
	private final class Guard extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			RedisHandshakeHandler handshake = ctx.pipeline().get(RedisHandshakeHandler.class);
			if (handshake != null && HandshakeDeadline.this.pathSuspected.getAsBoolean()) {
				// The handshake handler's own future: failed here, it fails the connect or the reconnect as Lettuce's
				// own handshake timeout does (a timeout, after which Lettuce reconnects and logs one line), not as a
				// connection closed during the handshake, which it treats as a protocol failure.
				CompletableFuture<Void> done = handshake.channelInitialized().toCompletableFuture();
				Channel channel = ctx.channel();
				long deadline = HandshakeDeadline.this.deadlineNanos;
				Future<?> cut = ctx.executor().schedule(() -> {
					if (done.completeExceptionally(new RedisCommandTimeoutException("Handshake not done within "
							+ TimeUnit.NANOSECONDS.toMillis(deadline) + " ms while the path is suspected dead"))) {
						logger.debug("Cut short the handshake with {}", channel.remoteAddress());
						channel.close();
					}
				}, deadline, TimeUnit.NANOSECONDS);
				done.whenComplete((ignored, failure) -> cut.cancel(false));
			}
			ctx.fireChannelActive();
			ctx.pipeline().remove(this);
		}

	}

}
