package io.lettuce.core.protocol;

import io.netty.channel.Channel;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The channel under a Lettuce endpoint. Part of the Redis Discovery starter, not of Lettuce: it lives in this package
 * only because {@link DefaultEndpoint} keeps its channel in a protected field without an accessor, and the starter
 * needs it to see whether a shared connection still answers (its command stack and its last read).
 *
 * @since 0.1.0
 */
@NullMarked
public final class EndpointChannels {

	private EndpointChannels() {
	}

	/**
	 * The endpoint's current channel.
	 * @param endpoint the endpoint
	 * @return the channel, or {@code null} while the endpoint has none (connecting, reconnecting or closed)
	 */
	public static @Nullable Channel channelOf(DefaultEndpoint endpoint) {
		return endpoint.channel;
	}

}
