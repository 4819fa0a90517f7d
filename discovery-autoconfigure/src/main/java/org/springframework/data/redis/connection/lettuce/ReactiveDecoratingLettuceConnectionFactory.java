package org.springframework.data.redis.connection.lettuce;

import java.util.function.Supplier;

import io.lettuce.core.api.StatefulConnection;
import org.jspecify.annotations.NullMarked;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * A {@link LettuceConnectionFactory} whose reactive connections a subclass may decorate. Part of the Redis Discovery
 * starter, not of Spring Data Redis: it lives in this package only because Spring Data declares
 * {@link #getReactiveConnection()} and {@link #getReactiveClusterConnection()} with package-private return types, so
 * an override can be written nowhere else.
 *
 * @since 0.1.0
 */
@NullMarked
public abstract class ReactiveDecoratingLettuceConnectionFactory extends LettuceConnectionFactory {

	/**
	 * Creates a factory.
	 * @param configuration where Redis is
	 * @param clientConfiguration the Lettuce client configuration
	 */
	protected ReactiveDecoratingLettuceConnectionFactory(RedisConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
	}

	/**
	 * Creates a factory for one server; Spring Data keeps a standalone configuration apart from the others.
	 * @param configuration the server's address, credentials and database
	 * @param clientConfiguration the Lettuce client configuration
	 */
	protected ReactiveDecoratingLettuceConnectionFactory(RedisStandaloneConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
	}

	@Override
	public LettuceReactiveRedisConnection getReactiveConnection() {
		if (isClusterAware()) {
			return getReactiveClusterConnection();
		}
		return decorated(super::getReactiveConnection, LettuceReactiveRedisConnection.class);
	}

	@Override
	public LettuceReactiveRedisClusterConnection getReactiveClusterConnection() {
		return decorated(super::getReactiveClusterConnection, LettuceReactiveRedisClusterConnection.class);
	}

	private <C extends LettuceReactiveRedisConnection> C decorated(Supplier<C> connections, Class<C> type) {
		return type.cast(decorateReactiveConnection(connections, type));
	}

	/**
	 * The native connection a reactive connection of this factory sends its commands on: the shared connection it was
	 * created with, or its dedicated one.
	 * @param connection a reactive connection from {@link #decorateReactiveConnection}'s {@code connections}
	 * @return the native connection
	 */
	protected static Mono<? extends StatefulConnection<?, ?>> nativeConnection(ReactiveRedisConnection connection) {
		return ((LettuceReactiveRedisConnection) connection).getConnection();
	}

	/**
	 * Decorates a reactive connection.
	 * @param connections Spring Data's connections of this factory: each call opens a handle on the current shared
	 * connection (or a dedicated one), and may block while it connects
	 * @param type the class the decoration must be an instance of
	 * @return the decorated connection, an instance of {@code type} (where it cannot be, because classes cannot be
	 * generated at run time, a connection from {@code connections} as it is)
	 */
	protected abstract ReactiveRedisConnection decorateReactiveConnection(
			Supplier<? extends ReactiveRedisConnection> connections, Class<? extends ReactiveRedisConnection> type);

}
