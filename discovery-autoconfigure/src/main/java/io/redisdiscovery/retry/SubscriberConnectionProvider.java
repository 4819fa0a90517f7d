package io.redisdiscovery.retry;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * Remembers the Pub/Sub connections it opens until they are released, so that they can be sent to a new master.
 * <p>
 * A subscription lives on its own connection, which Lettuce reconnects (and subscribes again) only when its channel
 * closes. After an ordered failover the old master stays up and keeps the subscriber until Sentinel demotes it, up to
 * 10 s later, while everything is published on the new master. {@link #reconnectSubscribers()} closes the channels
 * instead, so that Lettuce's reconnect resolves the address anew and subscribes there.
 *
 * @since 0.1.0
 */
final class SubscriberConnectionProvider extends RememberingConnectionProvider {

	SubscriberConnectionProvider(LettuceConnectionProvider delegate) {
		super(delegate);
	}

	@Override
	protected boolean remembers(Class<?> connectionType, StatefulConnection<?, ?> connection) {
		return connection instanceof StatefulRedisPubSubConnection<?, ?>;
	}

	/**
	 * Whether a Pub/Sub connection handed out and not closed has lost its channel: its subscriptions receive nothing
	 * until Lettuce reconnects it. A cluster's Pub/Sub connection, which has no channel of its own, never counts.
	 * @return {@code true} while one is cut off
	 */
	boolean isAnyCutOff() {
		return this.remembered.stream().anyMatch(LettuceChannels::isReconnecting);
	}

	/**
	 * Closes the channel of every open Pub/Sub connection; Lettuce reconnects each to the address its resolver names
	 * now and subscribes again to what it was subscribed to.
	 * @return how many connections were sent on their way
	 */
	int reconnectSubscribers() {
		int reconnected = 0;
		for (StatefulConnection<?, ?> connection : this.remembered) {
			if (LettuceChannels.isClosed(connection)) {
				// Closed without a release (by Lettuce or the application): nothing to move, nothing to keep.
				this.remembered.remove(connection);
			}
			else if (LettuceChannels.isReconnecting(connection)) {
				// Kept for the next move: its reconnect resolves the address anew anyway.
				reconnected++;
			}
			else if (LettuceChannels.disconnect(connection)) {
				reconnected++;
			}
		}
		return reconnected;
	}

}
