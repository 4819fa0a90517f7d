package io.redisdiscovery.retry;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

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
final class LentConnectionProvider extends DelegatingConnectionProvider {

	private final Set<StatefulConnection<?, ?>> lent = ConcurrentHashMap.newKeySet();

	LentConnectionProvider(LettuceConnectionProvider delegate) {
		super(delegate);
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		return remember(connectionType, super.getConnection(connectionType));
	}

	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
		return super.getConnectionAsync(connectionType).thenApply((connection) -> remember(connectionType, connection));
	}

	@Override
	public void release(StatefulConnection<?, ?> connection) {
		this.lent.remove(connection);
		super.release(connection);
	}

	@Override
	public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
		this.lent.remove(connection);
		return super.releaseAsync(connection);
	}

	/**
	 * The plain connections handed out and not released now.
	 * @return a copy
	 */
	List<StatefulConnection<?, ?>> lent() {
		return List.copyOf(this.lent);
	}

	/**
	 * Pub/Sub connections are asked for by their own type and watched as subscribers; Sentinel connections are not
	 * the application's.
	 */
	private <T extends StatefulConnection<?, ?>> T remember(Class<?> connectionType, T connection) {
		if (connectionType == StatefulConnection.class) {
			this.lent.add(connection);
		}
		return connection;
	}

}
