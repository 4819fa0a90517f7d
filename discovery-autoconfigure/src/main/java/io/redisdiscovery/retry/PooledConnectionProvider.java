package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.PoolException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * Pools the connections a {@link RetryingLettuceConnectionFactory} takes for itself (its shared connection) and for
 * its {@code LettuceConnection}s' dedicated work (transactions, blocking commands), as Spring Data Redis'
 * pooling provider does, but never hands out a connection that may belong to an old topology or carry state.
 * <p>
 * Every connection is stamped with the generation it was opened in; {@link #invalidate()} (a failover, a DNS drain,
 * a stalled connection) starts a new generation, closes the idle connections and makes the borrowed ones close when
 * released instead of going back to the pool. A connection released in {@code MULTI}, closed, or released through
 * {@link #discarding(Runnable)} (the retry replaced it, a command on it failed, it holds a {@code WATCH}) is closed
 * too. Only the plain connection type is pooled: Pub/Sub and Sentinel connections go to the delegate as they are.
 */
final class PooledConnectionProvider extends DelegatingConnectionProvider implements DisposableBean {

	/** Connections opened across topology changes in a row before one is handed on as it is (validated then). */
	private static final int MAX_CREATE_ATTEMPTS = 3;

	private final GenericObjectPool<StatefulConnection<?, ?>> pool;

	private final AtomicLong generation = new AtomicLong();

	/** The generation of every connection this pool opened and has not closed yet. */
	private final Map<StatefulConnection<?, ?>, Long> generations = new ConcurrentHashMap<>();

	private final ThreadLocal<Boolean> discarding = new ThreadLocal<>();

	PooledConnectionProvider(LettuceConnectionProvider delegate, PoolSettings settings) {
		super(delegate);
		this.pool = new GenericObjectPool<>(new Connections(), config(settings));
	}

	private static GenericObjectPoolConfig<StatefulConnection<?, ?>> config(PoolSettings settings) {
		GenericObjectPoolConfig<StatefulConnection<?, ?>> config = new GenericObjectPoolConfig<>();
		config.setMaxTotal(settings.maxActive());
		config.setMaxIdle(settings.maxIdle());
		config.setMinIdle(settings.minIdle());
		config.setMaxWait(settings.maxWait());
		Duration evictionRuns = settings.timeBetweenEvictionRuns();
		if (evictionRuns != null) {
			config.setTimeBetweenEvictionRuns(evictionRuns);
		}
		// A cheap local check (open, current generation), no round trip: it keeps stale connections from being lent.
		config.setTestOnBorrow(true);
		config.setJmxEnabled(false);
		return config;
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		if (!isPooled(connectionType)) {
			return this.delegate.getConnection(connectionType);
		}
		try {
			return connectionType.cast(this.pool.borrowObject());
		}
		catch (NoSuchElementException ex) {
			// Exhausted for max-wait, or a connection just opened was already of an old topology.
			throw new PoolException("Could not get a Redis connection from the pool (at most "
					+ this.pool.getMaxTotal() + " at a time, see redis.discovery.pool.max-active and max-wait)", ex);
		}
		catch (RuntimeException ex) {
			// Lettuce's own connect failure, so that the retry classifies it as it does without a pool.
			throw ex;
		}
		catch (Exception ex) {
			throw new PoolException("Could not get a Redis connection from the pool", ex);
		}
	}

	/**
	 * The shared connection and dedicated ones are asked for as {@code StatefulConnection}; every other type
	 * (Pub/Sub, Sentinel) keeps a state of its own and is not pooled.
	 */
	private static boolean isPooled(Class<?> connectionType) {
		return connectionType == StatefulConnection.class;
	}

	@Override
	public void release(StatefulConnection<?, ?> connection) {
		if (!this.generations.containsKey(connection)) {
			this.delegate.release(connection);
			return;
		}
		if (isReusable(connection)) {
			this.pool.returnObject(connection);
		}
		else {
			invalidate(connection);
		}
	}

	@Override
	public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
		if (!this.generations.containsKey(connection)) {
			return this.delegate.releaseAsync(connection);
		}
		release(connection);
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * Starts a new generation: idle connections close now, borrowed ones when they are released.
	 */
	void invalidate() {
		this.generation.incrementAndGet();
		this.pool.clear();
	}

	/**
	 * Runs an action (closing a {@code LettuceConnection}) whose releases on this thread close the connection
	 * instead of pooling it.
	 * @param close the action
	 */
	void discarding(Runnable close) {
		this.discarding.set(Boolean.TRUE);
		try {
			close.run();
		}
		finally {
			this.discarding.remove();
		}
	}

	/** Connections allocated now, idle or borrowed (for tests and diagnostics). */
	int size() {
		return this.pool.getNumActive() + this.pool.getNumIdle();
	}

	private boolean isReusable(StatefulConnection<?, ?> connection) {
		return !Boolean.TRUE.equals(this.discarding.get()) && isCurrent(connection)
				&& !(connection instanceof StatefulRedisConnection<?, ?> redis && redis.isMulti());
	}

	private boolean isCurrent(StatefulConnection<?, ?> connection) {
		Long stamp = this.generations.get(connection);
		return stamp != null && stamp == this.generation.get() && connection.isOpen();
	}

	private void invalidate(StatefulConnection<?, ?> connection) {
		try {
			this.pool.invalidateObject(connection);
		}
		catch (Exception ex) {
			// The pool is closed or no longer knows it: close it here, it must not be used again.
			closeNow(connection);
		}
	}

	private void closeNow(StatefulConnection<?, ?> connection) {
		this.generations.remove(connection);
		this.delegate.release(connection);
	}

	@Override
	public void destroy() {
		this.pool.close();
	}

	/** Opens, checks and closes the pooled connections. */
	private final class Connections extends BasePooledObjectFactory<StatefulConnection<?, ?>> {

		/**
		 * Opens a connection of the current generation. One opened while the topology changed may lead to the old
		 * address: it is closed and opened again, rather than failing the borrow that asked for it.
		 */
		@Override
		public StatefulConnection<?, ?> create() {
			for (int attempt = 1;; attempt++) {
				// Read before connecting: a connection opened across a change counts as the old generation.
				long stamp = PooledConnectionProvider.this.generation.get();
				StatefulConnection<?, ?> connection = PooledConnectionProvider.this.delegate
					.getConnection(StatefulConnection.class);
				if (stamp == PooledConnectionProvider.this.generation.get() || attempt == MAX_CREATE_ATTEMPTS) {
					PooledConnectionProvider.this.generations.put(connection, stamp);
					return connection;
				}
				PooledConnectionProvider.this.delegate.release(connection);
			}
		}

		@Override
		public PooledObject<StatefulConnection<?, ?>> wrap(StatefulConnection<?, ?> connection) {
			return new DefaultPooledObject<>(connection);
		}

		@Override
		public boolean validateObject(PooledObject<StatefulConnection<?, ?>> pooled) {
			return isCurrent(pooled.getObject());
		}

		@Override
		public void destroyObject(PooledObject<StatefulConnection<?, ?>> pooled) {
			closeNow(pooled.getObject());
		}

	}

}
