package io.redisdiscovery.retry;

import io.lettuce.core.CommandListenerWriter;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.protocol.EndpointChannels;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the channel under a Lettuce connection without closing the connection: Lettuce's watchdog then reconnects it,
 * at once, to the address its resolver names now, and a Pub/Sub connection subscribes again. Lettuce offers this on its
 * endpoint only, below the writers it may put in front of it.
 *
 * @since 0.1.0
 */
public final class LettuceChannels {

	private static final Logger logger = LoggerFactory.getLogger(LettuceChannels.class);

	private LettuceChannels() {
	}

	/**
	 * Disconnects the connection's channel, if it has one of its own; Lettuce reconnects it at once
	 * ({@link ReconnectAtOnce}).
	 * @param connection a standalone, node or Pub/Sub connection
	 * @return whether a channel was disconnected; {@code false} for a connection that spreads commands over several
	 * channels (a cluster connection) or whose writer is unknown
	 */
	public static boolean disconnect(StatefulConnection<?, ?> connection) {
		DefaultEndpoint endpoint = endpointOf(connection);
		if (endpoint == null) {
			return false;
		}
		Channel channel = EndpointChannels.channelOf(endpoint);
		if (channel != null) {
			ReconnectAtOnce.mark(channel);
		}
		endpoint.disconnect();
		return true;
	}

	/**
	 * The channel under the connection now.
	 * @param connection a standalone, node or Pub/Sub connection
	 * @return the channel, or {@code null} for a connection without one (connecting, reconnecting, a cluster
	 * connection) or whose writer is unknown
	 */
	public static @Nullable Channel channelOf(StatefulConnection<?, ?> connection) {
		DefaultEndpoint endpoint = endpointOf(connection);
		return (endpoint != null) ? EndpointChannels.channelOf(endpoint) : null;
	}

	/**
	 * Whether the connection was closed for good. Not {@code !isOpen()}, which is also true while Lettuce reconnects.
	 * @param connection any connection
	 * @return {@code true} once it is closed
	 */
	public static boolean isClosed(StatefulConnection<?, ?> connection) {
		return (connection instanceof RedisChannelHandler<?, ?> handler) ? handler.isClosed() : !connection.isOpen();
	}

	/**
	 * Whether the connection, not closed, lost its channel and waits for Lettuce to reconnect it.
	 * @param connection a standalone, node or Pub/Sub connection
	 * @return {@code true} while it has no active channel; {@code false} once closed, and for a connection without a
	 * channel of its own (a cluster connection) or whose writer is unknown
	 */
	public static boolean isReconnecting(StatefulConnection<?, ?> connection) {
		DefaultEndpoint endpoint = endpointOf(connection);
		if (endpoint == null || isClosed(connection)) {
			return false;
		}
		Channel channel = EndpointChannels.channelOf(endpoint);
		return channel == null || !channel.isActive();
	}

	/**
	 * The endpoint that owns the channel, under the writers Lettuce may put in front of it (command expiry, command
	 * listeners).
	 */
	private static @Nullable DefaultEndpoint endpointOf(StatefulConnection<?, ?> connection) {
		RedisChannelWriter writer = (connection instanceof RedisChannelHandler<?, ?> handler)
				? handler.getChannelWriter() : null;
		while (writer != null) {
			if (writer instanceof DefaultEndpoint endpoint) {
				return endpoint;
			}
			if (writer instanceof CommandExpiryWriter expiry) {
				writer = expiry.getDelegate();
			}
			else if (writer instanceof CommandListenerWriter listener) {
				writer = listener.getDelegate();
			}
			else {
				logger.debug("Cannot reach the channel of a connection through {}", writer.getClass().getName());
				return null;
			}
		}
		return null;
	}

}
