package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * Sees the connections open and close at their channels, and tells a connection that dropped (the server or the
 * network closed it) from one the application closed (Spring Data releasing the dedicated connection of a
 * transaction or pipeline, a reset, a drain): only a drop is a reason to doubt the address.
 * <p>
 * Watching the channels keeps the counts exact: Lettuce's event bus drops events when its subscriber falls behind,
 * as it does under bursts of short-lived connections.
 *
 * @since 0.1.0
 */
final class ConnectionTracker implements NettyCustomizer {

	private static final AttributeKey<Boolean> CLOSED_BY_APPLICATION = AttributeKey
		.valueOf(ConnectionTracker.class, "closedByApplication");

	private final int port;

	private final Listener listener;

	/**
	 * Creates a tracker.
	 * @param port the port of the tracked addresses; connections to other ports are ignored
	 * @param listener told about connections opening and closing, on the channel's I/O thread (it counts them)
	 */
	ConnectionTracker(int port, Listener listener) {
		this.port = port;
		this.listener = listener;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		// First, so that it sees every channel going active and inactive whatever the handlers after it pass on.
		channel.pipeline().addFirst(new ChannelLifecycle());
		// Last, so that only a close asked for from outside the pipeline (the connection closed by its owner) passes
		// it, not the closes Lettuce's handlers make on a reply they cannot read or a failed handshake.
		channel.pipeline().addLast(CloseMarker.INSTANCE);
	}

	private @Nullable InetAddress tracked(@Nullable SocketAddress remote) {
		if (remote instanceof InetSocketAddress socketAddress && socketAddress.getAddress() != null
				&& socketAddress.getPort() == this.port) {
			return AddressBook.withoutHostname(socketAddress.getAddress());
		}
		return null;
	}

	/**
	 * Told about the connections to tracked addresses.
	 */
	interface Listener {

		/**
		 * A connection to the address was established.
		 * @param address the address, without host name
		 */
		void connected(InetAddress address);

		/**
		 * A connection to the address closed.
		 * @param address the address, without host name
		 * @param dropped whether it closed without the application asking for it
		 */
		void closed(InetAddress address, boolean dropped);

	}

	/**
	 * Watches one channel; not sharable, it remembers the channel's address.
	 */
	private final class ChannelLifecycle extends ChannelInboundHandlerAdapter {

		private @Nullable InetAddress address;

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			this.address = tracked(ctx.channel().remoteAddress());
			if (this.address != null) {
				ConnectionTracker.this.listener.connected(this.address);
			}
			super.channelActive(ctx);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			InetAddress closed = this.address;
			if (closed != null) {
				this.address = null;
				boolean byApplication = Boolean.TRUE.equals(ctx.channel().attr(CLOSED_BY_APPLICATION).get());
				ConnectionTracker.this.listener.closed(closed, !byApplication);
			}
			super.channelInactive(ctx);
		}

	}

	/**
	 * Marks a channel whose owner closed it.
	 */
	@ChannelHandler.Sharable
	private static final class CloseMarker extends ChannelOutboundHandlerAdapter {

		static final CloseMarker INSTANCE = new CloseMarker();

		@Override
		public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
			ctx.channel().attr(CLOSED_BY_APPLICATION).set(Boolean.TRUE);
			super.close(ctx, promise);
		}

		@Override
		public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
			ctx.channel().attr(CLOSED_BY_APPLICATION).set(Boolean.TRUE);
			super.disconnect(ctx, promise);
		}

	}

}
