package io.redisdiscovery.retry;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link RedisConnectionFactory} that acquires connections and runs their commands through a
 * {@link CommandRetry}, in front of a {@link LettuceConnectionFactory} whose lifecycle it owns.
 * <p>
 * Reactive connections come straight from the Lettuce factory, without retry.
 *
 * @since 0.1.0
 */
public class RetryingRedisConnectionFactory
		implements RedisConnectionFactory, ReactiveRedisConnectionFactory, InitializingBean, DisposableBean,
		SmartLifecycle {

	private final LettuceConnectionFactory delegate;

	private final @Nullable CommandRetry retry;

	private final Runnable releaseResources;

	/**
	 * Creates a factory.
	 * @param delegate the Lettuce factory that makes the connections
	 * @param retry the retry to apply, or {@code null} to hand out the Lettuce connections as they are
	 */
	public RetryingRedisConnectionFactory(LettuceConnectionFactory delegate, @Nullable CommandRetry retry) {
		this(delegate, retry, () -> {
		});
	}

	/**
	 * Creates a factory that also owns resources made for it alone.
	 * @param delegate the Lettuce factory that makes the connections
	 * @param retry the retry to apply, or {@code null} to hand out the Lettuce connections as they are
	 * @param releaseResources run after the Lettuce factory is destroyed
	 */
	public RetryingRedisConnectionFactory(LettuceConnectionFactory delegate, @Nullable CommandRetry retry,
			Runnable releaseResources) {
		this.delegate = delegate;
		this.retry = retry;
		this.releaseResources = releaseResources;
	}

	/**
	 * The Lettuce factory behind this one, for native access.
	 * @return the Lettuce connection factory
	 */
	public LettuceConnectionFactory getLettuceConnectionFactory() {
		return this.delegate;
	}

	/**
	 * The retry applied to connections and commands.
	 * @return the retry, or {@code null} when retry is disabled
	 */
	public @Nullable CommandRetry getRetry() {
		return this.retry;
	}

	@Override
	public RedisConnection getConnection() {
		return retrying(this.delegate::getConnection);
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		return retrying(this.delegate::getClusterConnection);
	}

	private <C extends RedisConnection> C retrying(Supplier<C> connections) {
		CommandRetry retry = this.retry;
		if (retry == null) {
			return connections.get();
		}
		try {
			return RetryingConnectionHandler.wrap(acquire(connections, retry), connections, retry);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new RedisSystemException("Could not get a Redis connection", ex);
		}
	}

	/**
	 * Nearly every acquisition succeeds at once, so the retry (a Resilience4j context, counted in the retry metrics
	 * as a call) only starts when one fails; that failure is its first attempt, so the attempt budget is unchanged.
	 */
	private static <C extends RedisConnection> C acquire(Supplier<C> connections, CommandRetry retry)
			throws Exception {
		RuntimeException firstFailure;
		try {
			return connections.get();
		}
		catch (RuntimeException ex) {
			firstFailure = ex;
		}
		return retry.execute(true, (attempt) -> {
			if (attempt == 1) {
				throw firstFailure;
			}
			return connections.get();
		});
	}

	@Override
	public boolean getConvertPipelineAndTxResults() {
		return this.delegate.getConvertPipelineAndTxResults();
	}

	@Override
	public RedisSentinelConnection getSentinelConnection() {
		return this.delegate.getSentinelConnection();
	}

	@Override
	public ReactiveRedisConnection getReactiveConnection() {
		return this.delegate.getReactiveConnection();
	}

	@Override
	public ReactiveRedisClusterConnection getReactiveClusterConnection() {
		return this.delegate.getReactiveClusterConnection();
	}

	@Override
	public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		return this.delegate.translateExceptionIfPossible(ex);
	}

	@Override
	public void afterPropertiesSet() {
		this.delegate.afterPropertiesSet();
	}

	@Override
	public void destroy() {
		this.delegate.destroy();
		this.releaseResources.run();
	}

	@Override
	public void start() {
		this.delegate.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
	}

	@Override
	public boolean isRunning() {
		return this.delegate.isRunning();
	}

	@Override
	public int getPhase() {
		return this.delegate.getPhase();
	}

	@Override
	public boolean isAutoStartup() {
		return this.delegate.isAutoStartup();
	}

	@Override
	public String toString() {
		return "RetryingRedisConnectionFactory(" + this.delegate.getClass().getSimpleName() + ")";
	}

}
