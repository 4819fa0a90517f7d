package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
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
 * The shared connections (imperative and reactive) are kept by the starter, not by Spring Data (see
 * {@link SharedConnections}): set up without the factory's lock, so that a reset never waits for a handshake in
 * progress; replaced early when their peer goes silent; and every dial that hangs is raced by a second one.
 *
 * @since 0.1.0
 */
public class RetryingLettuceConnectionFactory extends ReactiveDecoratingLettuceConnectionFactory {


	private @Nullable CommandRetry retry;

	private @Nullable ReactiveCommandRetry reactiveRetry;

	private Runnable onDestroy = () -> {
	};

	private @Nullable PoolSettings poolSettings;

	/** The pool of the imperative connections, once Spring Data asked for the connection provider. */
	private volatile @Nullable PooledConnectionProvider pool;

	/**
	 * The Pub/Sub connections, imperative and reactive: the providers of the current start, one per codec (a restart
	 * replaces them).
	 */
	private final Map<Class<?>, SubscriberConnectionProvider> subscribers = new ConcurrentHashMap<>();

	/** The shared connections, kept without Spring Data's lock, and how connections are dialed. */
	private final SharedConnections sharedConnections;


	/**
	 * Creates a factory without retry; set it with {@link #setCommandRetry(CommandRetry)} before the first
	 * connection is taken.
	 * @param configuration where Redis is: standalone, static master/replica or cluster
	 * @param clientConfiguration the Lettuce client configuration
	 */
	public RetryingLettuceConnectionFactory(RedisConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
		this.sharedConnections = new SharedConnections(clientConfiguration);
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
		this.sharedConnections = new SharedConnections(clientConfiguration);
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
	 * Binds the handshake deadline of this factory's client resources to this factory: while it suspects a dead path
	 * (a silence probe, a silent connection just replaced), a handshake that is not done within the hedge delay is
	 * cut short, so that Lettuce's own reconnects (a subscriber's) go elsewhere as the factory's raced dials do.
	 * @param handshakes the deadline given to the client resources as a Netty customizer
	 */
	public void setHandshakeDeadline(HandshakeDeadline handshakes) {
		this.sharedConnections.cutShortWhileRacing(handshakes);
	}

	/**
	 * Says that every dial of this factory reaches the same server, as a standalone server's fixed address does (not
	 * a balancer's, nor a DNS name's that resolves to several servers); set before the factory starts. While a path
	 * is suspected dead, a connection is then dialed once at a time instead of raced: more dials would wait at the
	 * same server, and a frozen one, whose kernel still accepts, would set up every abandoned dial when it thaws, ahead
	 * of the commands that wait.
	 * @param oneServer whether every dial reaches the same server ({@code false} by default)
	 */
	public void setDialsReachOneServer(boolean oneServer) {
		this.sharedConnections.dialOneServer(oneServer);
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
	 * pooled: they multiplex), and keeps the shared connection that Spring Data takes from this provider itself (see
	 * {@link SharedConnections}). Subclasses decorate the provider with
	 * {@link #decorateConnectionProvider(LettuceConnectionProvider)}, so that the shared connection uses what they add.
	 */
	@Override
	protected final LettuceConnectionProvider doCreateConnectionProvider(AbstractRedisClient client,
			RedisCodec<?, ?> codec) {
		LettuceConnectionProvider dials = super.doCreateConnectionProvider(client, codec);
		dials = new ClosingConnectionProvider(dials);
		// A cluster connection is set up from several nodes at once, which no second dial would speed up, and the
		// cluster's own stall handling checks each node.
		if (client instanceof RedisClient) {
			dials = this.sharedConnections.hedged(dials);
		}
		SubscriberConnectionProvider subscribers = new SubscriberConnectionProvider(dials);
		this.subscribers.put(codec.getClass(), subscribers);
		LettuceConnectionProvider provider = subscribers;
		PoolSettings settings = this.poolSettings;
		if (settings != null && codec instanceof ByteArrayCodec) {
			PooledConnectionProvider pool = new PooledConnectionProvider(subscribers, settings);
			this.pool = pool;
			provider = pool;
		}
		if (client instanceof RedisClient && codec instanceof ByteArrayCodec) {
			LentConnectionProvider lent = new LentConnectionProvider(provider);
			this.sharedConnections.watchForSilence(dials, () -> inUse(lent), this::emptyPool);
			provider = lent;
		}
		LettuceConnectionProvider decorated = decorateConnectionProvider(provider);
		// Spring Data wraps the provider in a pool of its own for a pooling client configuration, and takes the
		// shared connection from that pool: then it keeps the shared connection itself.
		if (!(getClientConfiguration() instanceof LettucePoolingClientConfiguration)) {
			this.sharedConnections.keep(codec, decorated);
		}
		return decorated;
	}

	/** The connections lent by {@code lent} and the subscribers of every codec. */
	private List<StatefulConnection<?, ?>> inUse(LentConnectionProvider lent) {
		List<StatefulConnection<?, ?>> inUse = new ArrayList<>(lent.inUse());
		this.subscribers.values().forEach((subscribers) -> inUse.addAll(subscribers.inUse()));
		return inUse;
	}

	/**
	 * Runs a task on the factory's own threads: never on a Netty I/O thread, where replies complete, nor on the
	 * caller's. A task given once the factory is destroyed is dropped.
	 * @param task what to run
	 */
	protected final void runInBackground(Runnable task) {
		this.sharedConnections.runInBackground(task);
	}

	/**
	 * Decorates the provider of every connection this factory hands out or shares.
	 * @param provider the provider, pooled when pool settings are given
	 * @return the provider to use
	 */
	protected LettuceConnectionProvider decorateConnectionProvider(LettuceConnectionProvider provider) {
		return provider;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulRedisConnection<byte[], byte[]> getSharedConnection() {
		SharedConnectionHolder holder = this.sharedConnections.imperative();
		if (holder == null || isClusterAware()) {
			return super.getSharedConnection();
		}
		return getShareNativeConnection()
				? (StatefulRedisConnection<byte[], byte[]>) holder.get(getValidateConnection()) : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulRedisClusterConnection<byte[], byte[]> getSharedClusterConnection() {
		SharedConnectionHolder holder = this.sharedConnections.imperative();
		if (holder == null || !isClusterAware()) {
			return super.getSharedClusterConnection();
		}
		return getShareNativeConnection()
				? (StatefulRedisClusterConnection<byte[], byte[]>) holder.get(getValidateConnection()) : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected @Nullable StatefulConnection<ByteBuffer, ByteBuffer> getSharedReactiveConnection() {
		SharedConnectionHolder holder = this.sharedConnections.reactive();
		if (holder == null) {
			return super.getSharedReactiveConnection();
		}
		return getShareNativeConnection()
				? (StatefulConnection<ByteBuffer, ByteBuffer>) holder.get(getValidateConnection()) : null;
	}

	/**
	 * Checks the shared connections with a {@code PING} and replaces one that does not answer, as Spring Data's
	 * factory does with its own.
	 */
	@Override
	public void validateConnection() {
		SharedConnectionHolder holder = this.sharedConnections.imperative();
		SharedConnectionHolder reactiveHolder = this.sharedConnections.reactive();
		if (holder == null || reactiveHolder == null) {
			super.validateConnection();
			return;
		}
		holder.get(true);
		reactiveHolder.get(true);
	}

	/**
	 * Also empties the pool: a reset means the connections may lead to an old master or a drained address.
	 */
	@Override
	public void resetConnection() {
		emptyPool();
		this.sharedConnections.reset();
		super.resetConnection();
	}

	private void emptyPool() {
		PooledConnectionProvider pool = this.pool;
		if (pool != null) {
			pool.invalidate();
		}
	}

	/**
	 * Replaces the connection that stopped answering, after command timeouts in a row: the shared connection (and the
	 * pool), as a {@link #resetConnection()}, in the background once a new connection answers (see
	 * {@link SharedConnections#replaceUnlessServerSilent(Runnable)}).
	 */
	public void replaceStalledConnection() {
		this.sharedConnections.replaceUnlessServerSilent(this::resetConnection);
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
		return this.subscribers.values().stream().mapToInt(SubscriberConnectionProvider::reconnectSubscribers).sum();
	}

	/**
	 * Whether a Pub/Sub connection it handed out, imperative or reactive, lost its channel and waits for Lettuce to
	 * reconnect it: its subscriptions receive nothing meanwhile.
	 * @return {@code true} while one is cut off
	 */
	public boolean isSubscriberCutOff() {
		return this.subscribers.values().stream().anyMatch(SubscriberConnectionProvider::isAnyCutOff);
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
			this.sharedConnections.close();
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
