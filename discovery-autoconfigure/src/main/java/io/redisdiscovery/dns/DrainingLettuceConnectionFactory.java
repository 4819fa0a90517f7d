package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.DelegatingConnectionProvider;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection.PipeliningFlushPolicy;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * A {@link LettuceConnectionFactory} that can replace its shared connection without failing the commands in flight
 * on it: new work goes to a new connection at once, and the old one closes once every {@link LettuceConnection}
 * handed out on it is closed and its last reply is in.
 *
 * @since 0.1.0
 */
public class DrainingLettuceConnectionFactory extends RetryingLettuceConnectionFactory {

	private static final Logger logger = LoggerFactory.getLogger(DrainingLettuceConnectionFactory.class);

	private static final long DRAIN_POLL_MILLIS = 5;

	/**
	 * The handles open on each shared connection; an entry goes when its connection is released or is closed with no
	 * handle left, so the map never holds more than the current and the draining connections.
	 */
	private final Map<StatefulConnection<?, ?>, AtomicInteger> openHandles = new ConcurrentHashMap<>();

	private final ThreadLocal<Boolean> releasingGracefully = new ThreadLocal<>();

	private final Duration drainTimeout;

	private PipeliningFlushPolicy pipeliningFlushPolicy = PipeliningFlushPolicy.flushEachCommand();

	/**
	 * Creates a factory.
	 * @param configuration the standalone configuration (the database hostname)
	 * @param clientConfiguration the client configuration; its client resources also run the drains
	 * @param drainTimeout longest wait for the commands in flight on a replaced connection
	 */
	public DrainingLettuceConnectionFactory(RedisStandaloneConfiguration configuration,
			LettuceClientConfiguration clientConfiguration, Duration drainTimeout) {
		super(configuration, clientConfiguration);
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Replaces the shared connections (imperative and reactive): the next operation opens new ones, and the old
	 * ones close once drained. Returns at once; the work runs on the client resources' executor.
	 */
	public void replaceSharedConnections() {
		if (!isRunning()) {
			return;
		}
		execute(() -> {
			this.releasingGracefully.set(Boolean.TRUE);
			try {
				logger.info("Replacing the shared Redis connection; the old one closes once its commands completed");
				resetConnection();
			}
			finally {
				this.releasingGracefully.remove();
			}
		}, 0);
	}

	/**
	 * Drains the shared connections instead of closing them under their commands, and reconnects the subscriptions.
	 */
	@Override
	public void moveConnections() {
		replaceSharedConnections();
		reconnectSubscribers();
	}

	/**
	 * How many shared connections the factory counts handles of, for tests.
	 * @return the number of tracked shared connections
	 */
	int trackedSharedConnections() {
		return this.openHandles.size();
	}

	@Override
	public void setPipeliningFlushPolicy(PipeliningFlushPolicy pipeliningFlushPolicy) {
		super.setPipeliningFlushPolicy(pipeliningFlushPolicy);
		this.pipeliningFlushPolicy = pipeliningFlushPolicy;
	}

	@Override
	protected LettuceConnection doCreateLettuceConnection(
			@Nullable StatefulRedisConnection<byte[], byte[]> sharedConnection,
			LettuceConnectionProvider connectionProvider, long timeout, int database) {
		if (sharedConnection == null) {
			return super.doCreateLettuceConnection(null, connectionProvider, timeout, database);
		}
		// Counted inside compute, so that handleClosed cannot remove the entry between lookup and increment.
		AtomicInteger handles = this.openHandles.compute(sharedConnection, (key, existing) -> {
			AtomicInteger counter = (existing != null) ? existing : new AtomicInteger();
			counter.incrementAndGet();
			return counter;
		});
		LettuceConnection connection = new CountedLettuceConnection(sharedConnection, connectionProvider, timeout,
				database, handles, () -> handleClosed(sharedConnection));
		connection.setPipeliningFlushPolicy(this.pipeliningFlushPolicy);
		return connection;
	}

	@Override
	protected LettuceConnectionProvider decorateConnectionProvider(LettuceConnectionProvider provider) {
		return new DrainingConnectionProvider(provider);
	}

	/**
	 * Stops tracking a shared connection once its last handle is closed and it is closed itself (replaced in some
	 * other way than by {@link #replaceSharedConnections()}), so that the map holds open connections only.
	 */
	private void handleClosed(StatefulConnection<?, ?> connection) {
		this.openHandles.computeIfPresent(connection,
				(key, handles) -> (handles.get() <= 0 && !key.isOpen()) ? null : handles);
	}

	private void drainThenRelease(StatefulConnection<?, ?> connection, Runnable release) {
		long deadline = System.nanoTime() + this.drainTimeout.toNanos();
		execute(() -> awaitHandlesClosed(connection, release, deadline), DRAIN_POLL_MILLIS);
	}

	private void awaitHandlesClosed(StatefulConnection<?, ?> connection, Runnable release, long deadline) {
		AtomicInteger handles = this.openHandles.get(connection);
		if (handles != null && handles.get() > 0 && System.nanoTime() < deadline && connection.isOpen()) {
			execute(() -> awaitHandlesClosed(connection, release, deadline), DRAIN_POLL_MILLIS);
			return;
		}
		// Replies come in order: once the PING is answered, every command written before it has its reply.
		// The reply completes on a Netty I/O thread, and a release may connect (a pool replacing the connection for
		// a waiting borrower): a blocking connect there waits for that very thread, so release elsewhere.
		lastReply(connection).whenComplete((pong, failure) -> execute(() -> {
			this.openHandles.remove(connection);
			release.run();
		}, 0));
	}

	private CompletableFuture<?> lastReply(StatefulConnection<?, ?> connection) {
		if (!(connection instanceof StatefulRedisConnection<?, ?> redis) || !connection.isOpen()) {
			return CompletableFuture.completedFuture(null);
		}
		try {
			return redis.async()
				.ping()
				.toCompletableFuture()
				.orTimeout(this.drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(null);
		}
	}

	private void execute(Runnable task, long delayMillis) {
		ClientResources resources = getClientResources();
		try {
			if (resources == null) {
				task.run();
			}
			else {
				resources.eventExecutorGroup().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			// The client resources shut down: run it here, nothing will be scheduled any more.
			task.run();
		}
	}

	/**
	 * Closes the replaced shared connection only once drained; other connections are released as usual.
	 */
	private final class DrainingConnectionProvider extends DelegatingConnectionProvider {

		DrainingConnectionProvider(LettuceConnectionProvider delegate) {
			super(delegate);
		}

		@Override
		public void release(StatefulConnection<?, ?> connection) {
			if (Boolean.TRUE.equals(DrainingLettuceConnectionFactory.this.releasingGracefully.get())) {
				drainThenRelease(connection, () -> this.delegate.release(connection));
			}
			else {
				// Released at once (a reset, the factory stopping): nothing waits for its handles any more.
				DrainingLettuceConnectionFactory.this.openHandles.remove(connection);
				this.delegate.release(connection);
			}
		}

		@Override
		public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
			DrainingLettuceConnectionFactory.this.openHandles.remove(connection);
			return this.delegate.releaseAsync(connection);
		}

	}

	/**
	 * A connection on the shared native connection that counts itself among that connection's open handles until
	 * closed.
	 */
	private static final class CountedLettuceConnection extends LettuceConnection {

		private final AtomicInteger handles;

		private final Runnable onClosed;

		private final AtomicBoolean counted = new AtomicBoolean(true);

		CountedLettuceConnection(StatefulRedisConnection<byte[], byte[]> sharedConnection,
				LettuceConnectionProvider connectionProvider, long timeout, int database, AtomicInteger handles,
				Runnable onClosed) {
			super(sharedConnection, connectionProvider, timeout, database);
			this.handles = handles;
			this.onClosed = onClosed;
		}

		@Override
		public void close() {
			try {
				super.close();
			}
			finally {
				if (this.counted.compareAndSet(true, false)) {
					this.handles.decrementAndGet();
					this.onClosed.run();
				}
			}
		}

	}

}
