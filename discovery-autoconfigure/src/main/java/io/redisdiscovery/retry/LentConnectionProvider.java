package io.redisdiscovery.retry;

import io.lettuce.core.api.StatefulConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * Remembers the plain connections it hands out until they come back: the shared connection and the dedicated ones of
 * pipelines, transactions and blocking commands, pooled or not, so that the {@link SilentConnectionWatch} sees a
 * pooled connection go silent as it sees the shared one. Idle pooled connections are not lent, so not watched: no
 * command waits on them, and the pool is emptied when a lent one is found silent.
 *
 * @since 0.1.0
 */
final class LentConnectionProvider extends RememberingConnectionProvider {

	LentConnectionProvider(LettuceConnectionProvider delegate) {
		super(delegate);
	}

	/**
	 * Pub/Sub connections are asked for by their own type and watched as subscribers; Sentinel connections are not
	 * the application's.
	 */
	@Override
	protected boolean remembers(Class<?> connectionType, StatefulConnection<?, ?> connection) {
		return connectionType == StatefulConnection.class;
	}

}
