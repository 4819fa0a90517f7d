package io.redisdiscovery.retry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * A Lettuce connection provider that hands every call to another one; subclasses override what they add to it (a
 * pool, a drain). Calls for a given target reach a delegate that supports targets, as Spring Data's providers do.
 *
 * @since 0.1.0
 */
public abstract class DelegatingConnectionProvider
		implements LettuceConnectionProvider, LettuceConnectionProvider.TargetAware {

	/** The provider that opens and closes the connections. */
	protected final LettuceConnectionProvider delegate;

	/**
	 * Creates a provider.
	 * @param delegate the provider that opens and closes the connections
	 */
	protected DelegatingConnectionProvider(LettuceConnectionProvider delegate) {
		this.delegate = delegate;
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		return this.delegate.getConnection(connectionType);
	}

	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
		return this.delegate.getConnectionAsync(connectionType);
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType, RedisURI redisURI) {
		return targetAware().getConnection(connectionType, redisURI);
	}

	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType,
			RedisURI redisURI) {
		return targetAware().getConnectionAsync(connectionType, redisURI);
	}

	@Override
	public void release(StatefulConnection<?, ?> connection) {
		this.delegate.release(connection);
	}

	@Override
	public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
		return this.delegate.releaseAsync(connection);
	}

	private TargetAware targetAware() {
		if (this.delegate instanceof TargetAware targetAware) {
			return targetAware;
		}
		throw new UnsupportedOperationException(this.delegate.getClass().getName() + " does not support targets");
	}

}
