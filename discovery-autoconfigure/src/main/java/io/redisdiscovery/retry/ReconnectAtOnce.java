package io.redisdiscovery.retry;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Lets the reconnect of a channel the starter closed on purpose go at once, not after the reconnect delay. The
 * starter closes a channel when it knows where the connection should go and that it answers there (a probe through a
 * new connection was answered, the topology moved), so the delay, meant to spread clients over a server coming back,
 * would only keep the connection, and the subscriptions or commands waiting for it, away for 20 to 40 ms more.
 * <p>
 * A channel is marked before it is closed. Lettuce's watchdog, the last handler of the pipeline, asks its reconnect
 * delay while the channel's inactive event passes through it, on the channel's event loop: a handler placed first
 * lets that event through while {@link #asked()} says so on that thread.
 *
 * @since 0.1.0
 */
public final class ReconnectAtOnce implements NettyCustomizer {

	static final String NAME = "redisDiscoveryReconnectAtOnce";

	private static final AttributeKey<Boolean> MARKED = AttributeKey.valueOf(NAME);

	/** Set on the event loop while the inactive event of a marked channel passes through the pipeline. */
	private static final ThreadLocal<Boolean> inactiveOfMarked = new ThreadLocal<>();

	/**
	 * Marks a channel about to be closed on purpose: its reconnect goes at once.
	 * @param channel the channel
	 */
	public static void mark(Channel channel) {
		channel.attr(MARKED).set(Boolean.TRUE);
	}

	/**
	 * Whether the reconnect being scheduled on this thread is that of a channel marked before its close.
	 * @return {@code true} while a marked channel's inactive event passes on this thread
	 */
	public static boolean asked() {
		return inactiveOfMarked.get() != null;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		channel.pipeline().addFirst(NAME, InactiveOfMarked.INSTANCE);
	}

	@ChannelHandler.Sharable
	private static final class InactiveOfMarked extends ChannelInboundHandlerAdapter {

		static final InactiveOfMarked INSTANCE = new InactiveOfMarked();

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel().attr(MARKED).get() == null) {
				ctx.fireChannelInactive();
				return;
			}
			inactiveOfMarked.set(Boolean.TRUE);
			try {
				ctx.fireChannelInactive();
			}
			finally {
				inactiveOfMarked.remove();
			}
		}

	}

}
