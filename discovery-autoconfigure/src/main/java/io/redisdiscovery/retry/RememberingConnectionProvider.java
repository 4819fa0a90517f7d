package io.redisdiscovery.retry;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * Remembers some of the connections it hands out, from the moment they are handed out until they are released, so
 * that the factory can act on the connections in use: subscribers ({@link SubscriberConnectionProvider}) and
 * connections lent to callers ({@link LentConnectionProvider}).
 *
 * @since 0.1.0
 */
abstract class RememberingConnectionProvider extends DelegatingConnectionProvider {

	/** The connections handed out, remembered and not released yet. */
	protected final Set<StatefulConnection<?, ?>> remembered = ConcurrentHashMap.newKeySet();

	RememberingConnectionProvider(LettuceConnectionProvider delegate) {
		super(delegate);
	}

	/**
	 * Whether a connection handed out is remembered.
	 * @param connectionType the type it was asked for by
	 * @param connection the connection
	 * @return {@code true} to remember it until it is released
	 */
	protected abstract boolean remembers(Class<?> connectionType, StatefulConnection<?, ?> connection);

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		return remember(connectionType, super.getConnection(connectionType));
	}

	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
		return super.getConnectionAsync(connectionType).thenApply((connection) -> remember(connectionType, connection));
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType, RedisURI redisURI) {
		return remember(connectionType, super.getConnection(connectionType, redisURI));
	}

	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType,
			RedisURI redisURI) {
		return super.getConnectionAsync(connectionType, redisURI)
			.thenApply((connection) -> remember(connectionType, connection));
	}

	@Override
	public void release(StatefulConnection<?, ?> connection) {
		this.remembered.remove(connection);
		super.release(connection);
	}

	@Override
	public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
		this.remembered.remove(connection);
		return super.releaseAsync(connection);
	}

	/**
	 * The remembered connections handed out and not released now.
	 * @return a copy
	 */
	List<StatefulConnection<?, ?>> inUse() {
		return List.copyOf(this.remembered);
	}

	private <T extends StatefulConnection<?, ?>> T remember(Class<?> connectionType, T connection) {
		if (remembers(connectionType, connection)) {
			this.remembered.add(connection);
		}
		return connection;
	}

}
