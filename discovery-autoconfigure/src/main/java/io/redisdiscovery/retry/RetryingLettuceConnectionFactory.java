package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.ClusterCommandExecutor;
import org.springframework.data.redis.connection.ClusterTopologyProvider;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.connection.lettuce.ReactiveDecoratingLettuceConnectionFactory;

/**
 * A {@link LettuceConnectionFactory} whose connections run their commands through a {@link CommandRetry}.
 * <p>
 * It is a {@code LettuceConnectionFactory}, and its connections are {@link LettuceConnection}s (cluster
 * connections {@code LettuceClusterConnection}s), because Spring Data Redis, Spring Session and applications
 * choose how to talk to Redis by those types: {@code RedisMessageListenerContainer} picks its non-blocking
 * subscriber only for a {@code LettuceConnectionFactory}, for example. Reactive connections follow the same rules
 * through a {@link ReactiveCommandRetry}, and are Spring Data's {@code LettuceReactiveRedisConnection}s (cluster:
 * {@code LettuceReactiveRedisClusterConnection}s) too.
 * <p>
 * Spring Data Redis' {@code LettuceConnection} awaits every reply for at most the factory's command timeout, the
 * same for {@code GET} and for {@code BLPOP key 5}, so a {@link BlockingCommandTimeouts} given to Lettuce would never
 * come into play. When the client options expire commands through their own source (not the connection timeout),
 * that source bounds every command and the factory's own await is lifted ({@link #getTimeout()} is {@code 0}). The
 * command timeout still bounds connecting and the handshake, which Spring Data Redis reads from the client
 * configuration.
 * <p>
 * With {@link #setPoolSettings(PoolSettings) pool settings} (and commons-pool2 on the class path) the connections it
 * takes for itself and for transactions and blocking commands come from a pool; a {@link #resetConnection() reset}
 * (failover, DNS drain, stalled connection) empties it, and a connection the retry replaced, on which a command failed
 * or that still holds a {@code WATCH} or {@code MULTI} is closed instead of pooled. Reactive connections are not
 * pooled.
 * <p>
 * The shared connections (imperative and reactive) are set up without Spring Data's factory lock (see
 * {@link SharedConnectionHolder}): a reset never waits for a handshake in progress, and a caller waits for a dial,
 * not for another caller's lock.
 *
 * @since 0.1.0
 */
public class RetryingLettuceConnectionFactory extends ReactiveDecoratingLettuceConnectionFactory {

	private static final int HEDGE_FRACTION = 10;

	private static final int SILENCE_FRACTION = 4;

	private @Nullable CommandRetry retry;

	private @Nullable ReactiveCommandRetry reactiveRetry;

	private Runnable onDestroy = () -> {
	};

	private @Nullable PoolSettings poolSettings;

	/** The pool of the imperative connections, once Spring Data asked for the connection provider. */
	private volatile @Nullable PooledConnectionProvider pool;

	/** The Pub/Sub connections, imperative and reactive (one provider per codec). */
	private final List<SubscriberConnectionProvider> subscribers = new CopyOnWriteArrayList<>();

	/** Runs the dials of the shared connections, so that callers wait on a dial's future, not on a lock. */
	private final ExecutorService dialer = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "redis-discovery-dial");
		thread.setDaemon(true);
		return thread;
	});

	/** The shared imperative connection, once Spring Data made its connection provider. */
	private volatile @Nullable SharedConnectionHolder shared;

	/** The shared reactive connection, once Spring Data made its connection provider. */
	private volatile @Nullable SharedConnectionHolder sharedReactive;

	/** Replaces a shared connection whose peer went silent; standalone, Sentinel and DNS connections only. */
	private volatile @Nullable SilentConnectionWatch silenceWatch;

	/** A key that never exists: the probe of the silence watch deletes it, which changes nothing. */
	private final byte[] probeKey = ("redis-discovery:probe:" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

	/**
	 * Creates a factory without retry; set it with {@link #setCommandRetry(CommandRetry)} before the first
	 * connection is taken.
	 * @param configuration where Redis is: standalone, static master/replica or cluster
	 * @param clientConfiguration the Lettuce client configuration
	 */
	public RetryingLettuceConnectionFactory(RedisConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
	}

	/**
	 * Creates a factory for one server, without retry. Spring Data keeps a standalone configuration apart from the
	 * others ({@code getStandaloneConfiguration()}), so it gets its own constructor.
	 * @param configuration the server's address, credentials and database
	 * @param clientConfiguration the Lettuce client configuration
	 */
	public RetryingLettuceConnectionFactory(RedisStandaloneConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
	}

	/**
	 * Sets the retry applied to connection acquisition and commands. It is a setter, not a constructor argument,
	 * because the retry's recovery usually acts on this factory (replacing its shared connection).
	 * @param retry the retry, or {@code null} to hand out Lettuce's connections as they are
	 */
	public void setCommandRetry(@Nullable CommandRetry retry) {
		this.retry = retry;
		this.reactiveRetry = (retry != null) ? new ReactiveCommandRetry(retry) : null;
	}

	/**
	 * The retry applied to connections and commands.
	 * @return the retry, or {@code null} when retry is disabled
	 */
	public @Nullable CommandRetry getCommandRetry() {
		return this.retry;
	}

	/**
	 * Pools the connections this factory takes for itself and for dedicated work; set before the factory starts.
	 * Needs commons-pool2 on the class path.
	 * @param poolSettings the pool settings, or {@code null} to open a connection for each dedicated use
	 */
	public void setPoolSettings(@Nullable PoolSettings poolSettings) {
		this.poolSettings = poolSettings;
	}

	/**
	 * The pool settings.
	 * @return the pool settings, or {@code null} when connections are not pooled
	 */
	public @Nullable PoolSettings getPoolSettings() {
		return this.poolSettings;
	}

	/**
	 * Sets what to release once this factory is destroyed, such as client resources made for it alone.
	 * @param onDestroy run after the factory is destroyed
	 */
	public void setOnDestroy(Runnable onDestroy) {
		this.onDestroy = onDestroy;
	}

	@Override
	public RedisConnection getConnection() {
		if (isClusterAware()) {
			return getClusterConnection();
		}
		return retrying(super::getConnection);
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		return retrying(super::getClusterConnection);
	}

	/**
	 * This factory's connections without the retry: for checks that must answer within a bound of their own, such
	 * as a health indicator, rather than ride through an outage.
	 * @return a factory handing out Spring Data's connections as they are
	 */
	public RedisConnectionFactory withoutRetry() {
		return new ConnectionsWithoutRetry();
	}

	private <C extends RedisConnection> C retrying(Supplier<C> connections) {
		CommandRetry retry = this.retry;
		if (retry == null) {
			return connections.get();
		}
		try {
			return RetryingConnectionHandler.wrap(acquire(connections, retry), connections, retry, this::discard);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new RedisSystemException("Could not get a Redis connection", ex);
		}
	}

	/**
	 * Closes a connection whose dedicated connection must not be used again: it is closed, not pooled.
	 */
	private void discard(RedisConnection connection) {
		PooledConnectionProvider pool = this.pool;
		if (pool == null) {
			connection.close();
		}
		else {
			pool.discarding(connection::close);
		}
	}

	/**
	 * Remembers the Pub/Sub connections (see {@link #reconnectSubscribers()}), pools the imperative connections when
	 * pool settings are given, cluster ones included, as Spring Boot's factory does (reactive connections are not
	 * pooled: they multiplex), and keeps the shared connection that Spring Data takes from this provider in a
	 * {@link SharedConnectionHolder}. Subclasses decorate the provider with
	 * {@link #decorateConnectionProvider(LettuceConnectionProvider)}, so that the holder uses what they add.
	 */
	@Override
	protected final LettuceConnectionProvider doCreateConnectionProvider(AbstractRedisClient client,
			RedisCodec<?, ?> codec) {
		LettuceConnectionProvider dials = super.doCreateConnectionProvider(client, codec);
		if (client instanceof RedisClient) {
			// A cluster connection is set up from several nodes at once, which no second dial would speed up.
			dials = new HedgedConnectionProvider(dials, this.dialer, hedgeDelay());
			if (codec instanceof ByteArrayCodec) {
				watchForSilence(dials);
			}
		}
		SubscriberConnectionProvider subscribers = new SubscriberConnectionProvider(dials);
		this.subscribers.add(subscribers);
		LettuceConnectionProvider provider = subscribers;
		PoolSettings settings = this.poolSettings;
		if (settings != null && codec instanceof ByteArrayCodec) {
			PooledConnectionProvider pool = new PooledConnectionProvider(subscribers, settings);
			this.pool = pool;
			provider = pool;
		}
		LettuceConnectionProvider decorated = decorateConnectionProvider(provider);
		// Spring Data wraps the provider in a pool of its own for a pooling client configuration, and takes the
		// shared connection from that pool: then it keeps the shared connection itself.
		if (!(getClientConfiguration() instanceof LettucePoolingClientConfiguration)) {
			SharedConnectionHolder holder = new SharedConnectionHolder(
					() -> decorated.getConnection(StatefulConnection.class), decorated::release, this.dialer,
					dialBound());
			if (codec instanceof ByteArrayCodec) {
				this.shared = holder;
			}
			else {
				this.sharedReactive = holder;
			}
		}
		return decorated;
	}

	private void watchForSilence(LettuceConnectionProvider dials) {
		SilentConnectionWatch previous = this.silenceWatch;
		if (previous != null) {
			previous.close();
		}
		Duration silence = getClientConfiguration().getCommandTimeout().dividedBy(SILENCE_FRACTION);
		this.silenceWatch = new SilentConnectionWatch(silence, this::readySharedConnections,
				() -> answersProbe(dials, silence), this::replaceSilentConnection, this.dialer);
	}

	private List<StatefulConnection<?, ?>> readySharedConnections() {
		List<StatefulConnection<?, ?>> ready = new ArrayList<>(2);
		for (SharedConnectionHolder holder : Arrays.asList(this.shared, this.sharedReactive)) {
			StatefulConnection<?, ?> connection = (holder != null) ? holder.getIfReady() : null;
			if (connection != null) {
				ready.add(connection);
			}
		}
		return ready;
	}

	/** Whether a new connection answers a write that changes nothing within {@code silence}. */
	private boolean answersProbe(LettuceConnectionProvider dials, Duration silence) {
		StatefulRedisConnection<byte[], byte[]> probe = dials.getConnection(StatefulRedisConnection.class);
		try {
			probe.async().del(this.probeKey).get(silence.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			dials.release(probe);
		}
	}

	/**
	 * Replaces a shared connection that went silent, and empties the pool, whose connections may have taken the same
	 * dead path.
	 */
	private void replaceSilentConnection(StatefulConnection<?, ?> connection) {
		PooledConnectionProvider pool = this.pool;
		if (pool != null) {
			pool.invalidate();
		}
		for (SharedConnectionHolder holder : Arrays.asList(this.shared, this.sharedReactive)) {
			if (holder != null) {
				holder.reset(connection);
			}
		}
	}

	/**
	 * Decorates the provider of every connection this factory hands out or shares.
	 * @param provider the provider, pooled when pool settings are given
	 * @return the provider to use
	 */
	protected LettuceConnectionProvider decorateConnectionProvider(LettuceConnectionProvider provider) {
		return provider;
	}

	/**
	 * How long a dial runs alone before a second one races it (see {@link HedgedConnectionProvider}): a tenth of the
	 * shorter of the connect and command timeouts (200 ms with the defaults), far above a healthy handshake and far
	 * below the command timeout that a handshake with a frozen peer costs.
	 */
	private Duration hedgeDelay() {
		Duration commandTimeout = getClientConfiguration().getCommandTimeout();
		Duration connect = connectTimeout();
		return ((connect.compareTo(commandTimeout) < 0) ? connect : commandTimeout).dividedBy(HEDGE_FRACTION);
	}

	private Duration connectTimeout() {
		return getClientConfiguration().getClientOptions()
			.map(ClientOptions::getSocketOptions)
			.map(SocketOptions::getConnectTimeout)
			.orElse(SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION);
	}

	/**
	 * How long a caller waits for a shared connection's dial: Lettuce bounds the connect by the connect timeout and
	 * the handshake by the command timeout, so this is only a safety net above both.
	 */
	private Duration dialBound() {
		return connectTimeout().plus(getClientConfiguration().getCommandTimeout()).plusSeconds(1);
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulRedisConnection<byte[], byte[]> getSharedConnection() {
		SharedConnectionHolder holder = this.shared;
		if (holder == null || isClusterAware()) {
			return super.getSharedConnection();
		}
		return getShareNativeConnection() ? (StatefulRedisConnection<byte[], byte[]>) shared(holder) : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulRedisClusterConnection<byte[], byte[]> getSharedClusterConnection() {
		SharedConnectionHolder holder = this.shared;
		if (holder == null || !isClusterAware()) {
			return super.getSharedClusterConnection();
		}
		return getShareNativeConnection() ? (StatefulRedisClusterConnection<byte[], byte[]>) shared(holder) : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulConnection<ByteBuffer, ByteBuffer> getSharedReactiveConnection() {
		SharedConnectionHolder holder = this.sharedReactive;
		if (holder == null) {
			return super.getSharedReactiveConnection();
		}
		return getShareNativeConnection() ? (StatefulConnection<ByteBuffer, ByteBuffer>) shared(holder)
				: null;
	}

	/**
	 * Checks the shared connections with a {@code PING} and replaces one that does not answer, as Spring Data's
	 * factory does with its own.
	 */
	@Override
	public void validateConnection() {
		SharedConnectionHolder holder = this.shared;
		SharedConnectionHolder reactiveHolder = this.sharedReactive;
		if (holder == null || reactiveHolder == null) {
			super.validateConnection();
			return;
		}
		validated(holder);
		validated(reactiveHolder);
	}

	/** The shared connection, checked first when {@link #getValidateConnection()} asks for it. */
	private StatefulConnection<?, ?> shared(SharedConnectionHolder holder) {
		return getValidateConnection() ? validated(holder) : holder.get();
	}

	private static StatefulConnection<?, ?> validated(SharedConnectionHolder holder) {
		StatefulConnection<?, ?> connection = holder.get();
		if (answersPing(connection)) {
			return connection;
		}
		holder.reset(connection);
		return holder.get();
	}

	private static boolean answersPing(StatefulConnection<?, ?> connection) {
		try {
			if (connection instanceof StatefulRedisConnection<?, ?> redis) {
				redis.sync().ping();
			}
			else if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
				cluster.sync().ping();
			}
			return connection.isOpen();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Also empties the pool: a reset means the connections may lead to an old master or a drained address.
	 */
	@Override
	public void resetConnection() {
		PooledConnectionProvider pool = this.pool;
		if (pool != null) {
			pool.invalidate();
		}
		resetShared(this.shared);
		resetShared(this.sharedReactive);
		super.resetConnection();
	}

	private static void resetShared(@Nullable SharedConnectionHolder holder) {
		if (holder != null) {
			holder.reset();
		}
	}

	/**
	 * Replaces the connection that stopped answering, after command timeouts in a row: the shared connection (and the
	 * pool), as a {@link #resetConnection()}.
	 */
	public void replaceStalledConnection() {
		resetConnection();
	}

	/**
	 * Moves every connection to where the client resolves now: the shared one (and the pool) is reset, the
	 * subscriptions reconnect. What a topology source calls when the endpoint moved.
	 */
	public void moveConnections() {
		resetConnection();
		reconnectSubscribers();
	}

	/**
	 * Sends every open Pub/Sub connection, imperative or reactive, to the address the client resolves now: its channel
	 * is closed, and Lettuce reconnects and subscribes again to the same channels and patterns. For a master change
	 * that leaves the old master up, which would keep the subscriptions where nothing is published any more.
	 * @return how many connections were sent
	 */
	public int reconnectSubscribers() {
		return this.subscribers.stream().mapToInt(SubscriberConnectionProvider::reconnectSubscribers).sum();
	}

	/**
	 * Connections in the pool now, idle or lent out (the shared connection counts).
	 * @return the count, {@code -1} when connections are not pooled
	 */
	public int pooledConnections() {
		PooledConnectionProvider pool = this.pool;
		return (pool != null) ? pool.size() : -1;
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

	/**
	 * Wraps the reactive connection in a retrying handle. Taking it may fail while Redis is down: the handle is then
	 * created without one, and the first command takes it under the retry, because callers such as
	 * {@code ReactiveRedisTemplate} take a connection for every operation and would pass that failure on unretried.
	 */
	@Override
	protected ReactiveRedisConnection decorateReactiveConnection(
			Supplier<? extends ReactiveRedisConnection> connections, Class<? extends ReactiveRedisConnection> type) {
		ReactiveCommandRetry retry = this.reactiveRetry;
		if (retry == null) {
			return connections.get();
		}
		ReactiveRedisConnection first;
		try {
			first = connections.get();
		}
		catch (RuntimeException ex) {
			first = null;
		}
		Object proxy = RetryingReactiveConnectionHandler.wrap(type, first, connections, retry,
				ReactiveDecoratingLettuceConnectionFactory::nativeConnection);
		if (type.isInstance(proxy)) {
			return (ReactiveRedisConnection) proxy;
		}
		// No class generation at run time: a handle that is not Spring Data's type would break callers casting it.
		return (first != null) ? first : connections.get();
	}

	/**
	 * The await of each connection in milliseconds: {@code 0} (no bound of its own) when Lettuce expires every
	 * command.
	 */
	@Override
	public long getTimeout() {
		return expiresEveryCommand() ? 0 : super.getTimeout();
	}

	@Override
	protected LettuceClusterConnection doCreateLettuceClusterConnection(
			@Nullable StatefulRedisClusterConnection<byte[], byte[]> sharedConnection,
			LettuceConnectionProvider connectionProvider, ClusterTopologyProvider topologyProvider,
			ClusterCommandExecutor clusterCommandExecutor, Duration commandTimeout) {
		return super.doCreateLettuceClusterConnection(sharedConnection, connectionProvider, topologyProvider,
				clusterCommandExecutor, expiresEveryCommand() ? Duration.ZERO : commandTimeout);
	}

	/**
	 * Whether Lettuce expires every command by a timeout source of its own. With timeouts off nothing else would
	 * bound a command, and the connection's timeout is the factory's command timeout anyway: both keep the await.
	 */
	private boolean expiresEveryCommand() {
		TimeoutOptions options = getClientConfiguration().getClientOptions()
			.map(ClientOptions::getTimeoutOptions)
			.orElse(null);
		return options != null && options.isTimeoutCommands() && !options.isApplyConnectionTimeout()
				&& options.getSource() != null;
	}

	@Override
	public void destroy() {
		try {
			super.destroy();
		}
		finally {
			PooledConnectionProvider pool = this.pool;
			if (pool != null) {
				// A provider wrapped by a subclass may not be disposed of by Spring Data.
				pool.destroy();
			}
			SilentConnectionWatch watch = this.silenceWatch;
			if (watch != null) {
				watch.close();
			}
			this.dialer.shutdownNow();
			this.onDestroy.run();
		}
	}

	/** A view of the factory that skips the retry. */
	private final class ConnectionsWithoutRetry implements RedisConnectionFactory {

		@Override
		public RedisConnection getConnection() {
			return isClusterAware() ? getClusterConnection() : RetryingLettuceConnectionFactory.super.getConnection();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			return RetryingLettuceConnectionFactory.super.getClusterConnection();
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return RetryingLettuceConnectionFactory.this.getConvertPipelineAndTxResults();
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			return RetryingLettuceConnectionFactory.this.getSentinelConnection();
		}

		@Override
		public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return RetryingLettuceConnectionFactory.this.translateExceptionIfPossible(ex);
		}

	}

}
