package io.redisdiscovery.retry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.output.CommandOutput;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.Assert;

/**
 * Sends every command of a {@link RedisConnection} through a {@link CommandRetry}; a retry runs on a freshly
 * acquired connection, so it follows a reconnect or a re-discovery.
 */
final class RetryingConnectionHandler implements InvocationHandler {

	/** Calls that manage the connection itself or whose repetition makes no sense (transactions, pub/sub). */
	private static final Set<String> NOT_RETRIED = Set.of("close", "isClosed", "getNativeConnection", "isQueueing",
			"isPipelined", "openPipeline", "closePipeline", "multi", "exec", "discard", "watch", "unwatch",
			"subscribe", "pSubscribe", "sSubscribe", "getSubscription", "isSubscribed", "getSentinelConnection",
			"select");

	private static final Set<String> TRANSACTION_CALLS = Set.of("multi", "exec", "discard", "watch", "unwatch");

	private final Supplier<? extends RedisConnection> connections;

	private final CommandRetry retry;

	/** Closes a connection whose dedicated connection must not be reused (pooled) by anyone else. */
	private final Consumer<RedisConnection> discard;

	private RedisConnection target;

	/**
	 * Whether a call on the target failed: its dedicated connection may still await a reply (a timed out blocking
	 * command) or be broken, so it is discarded, not reused, when the handle closes.
	 */
	private boolean failed;

	/**
	 * From {@code WATCH} until {@code EXEC}, {@code DISCARD} or {@code UNWATCH}: the watched keys live on the
	 * target's connection, so a retry must not move to a fresh one (the new connection would watch nothing and
	 * {@code EXEC} would commit over a concurrent change).
	 */
	private boolean watching;

	/** The transaction or pipeline in progress on this handle. */
	private @Nullable QueuedCalls batch;

	private @Nullable Map<Method, Object> subCommandProxies;

	private RetryingConnectionHandler(RedisConnection target, Supplier<? extends RedisConnection> connections,
			CommandRetry retry, Consumer<RedisConnection> discard) {
		this.target = target;
		this.connections = connections;
		this.retry = retry;
		this.discard = discard;
	}

	/**
	 * Wraps a connection.
	 * @param <C> the connection type
	 * @param connection the connection to wrap
	 * @param connections where a replacement connection comes from when an attempt is retried
	 * @param retry the retry to apply
	 * @return a proxy that implements every interface of the connection
	 */
	static <C extends RedisConnection> C wrap(C connection, Supplier<? extends C> connections, CommandRetry retry) {
		return wrap(connection, connections, retry, RedisConnection::close);
	}

	/**
	 * Wraps a connection whose dedicated connections may be pooled.
	 * @param <C> the connection type
	 * @param connection the connection to wrap
	 * @param connections where a replacement connection comes from when an attempt is retried
	 * @param retry the retry to apply
	 * @param discard closes a connection whose dedicated connection must be closed, not pooled: one the retry
	 * replaced, one on which a call failed, one closed while holding a {@code WATCH} or a batch
	 * @return a proxy that implements every interface of the connection
	 */
	@SuppressWarnings("unchecked")
	static <C extends RedisConnection> C wrap(C connection, Supplier<? extends C> connections, CommandRetry retry,
			Consumer<RedisConnection> discard) {
		return (C) ConnectionProxies.forConnection(connection.getClass(),
				new RetryingConnectionHandler(connection, connections, retry, discard));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return invokeObjectMethod(proxy, method, args);
		}
		if (SubCommandGetters.isGetter(method)) {
			return subCommandsProxy(method);
		}
		try {
			return invokeOnConnection(method, args);
		}
		catch (Throwable ex) {
			this.failed = true;
			throw ex;
		}
	}

	private @Nullable Object invokeOnConnection(Method method, @Nullable Object @Nullable [] args) throws Throwable {
		if (NOT_RETRIED.contains(method.getName())) {
			return invokeControl(method, args);
		}
		if (isQueued()) {
			return invokeQueued(null, method, args);
		}
		if (fillsCallersOutput(args)) {
			return Invocations.invoke(this.target, method, args);
		}
		return this.retry.execute(CommandIdempotency.isIdempotent(method, args),
				(attempt) -> runAttempt(null, method, args, attempt));
	}

	private @Nullable Object invokeOnSubCommands(Method getter, Method method, @Nullable Object @Nullable [] args)
			throws Throwable {
		try {
			if (isQueued()) {
				return invokeQueued(getter, method, args);
			}
			return this.retry.execute(CommandIdempotency.isIdempotent(method, args),
					(attempt) -> runAttempt(getter, method, args, attempt));
		}
		catch (Throwable ex) {
			this.failed = true;
			throw ex;
		}
	}

	/** Inside {@code MULTI} or a pipeline commands are only queued: their outcome is known at the end. */
	private boolean isQueued() {
		return this.target.isQueueing() || this.target.isPipelined();
	}

	private @Nullable Object invokeQueued(@Nullable Method getter, Method method, @Nullable Object @Nullable [] args)
			throws Exception {
		Object target = (getter != null) ? Invocations.invoke(this.target, getter, null) : this.target;
		Assert.state(target != null, "'target' must not be null");
		Object result = Invocations.invoke(target, method, args);
		if (this.batch != null) {
			this.batch.add(getter, method, args);
		}
		return result;
	}

	private @Nullable Object invokeControl(Method method, @Nullable Object @Nullable [] args) throws Exception {
		String name = method.getName();
		if (this.batch != null && this.batch.isPipeline() && TRANSACTION_CALLS.contains(name)) {
			// A transaction inside a pipeline is part of the pipeline.
			return invokeQueued(null, method, args);
		}
		return switch (name) {
			case "multi", "openPipeline" -> beginBatch(method, args);
			case "exec", "closePipeline" -> endBatch(method, args);
			case "watch" -> {
				Object result = this.watching ? Invocations.invoke(this.target, method, args) : begin(method, args);
				this.watching = true;
				yield result;
			}
			case "discard", "unwatch" -> {
				// Redis drops the watched keys whether these succeed or not.
				this.watching = false;
				this.batch = null;
				yield Invocations.invoke(this.target, method, args);
			}
			case "close" -> {
				boolean reusable = !this.watching && this.batch == null && !this.failed;
				this.watching = false;
				this.batch = null;
				if (reusable) {
					yield Invocations.invoke(this.target, method, args);
				}
				// A pooled connection must not carry a WATCH, a batch or an unread reply to its next user.
				this.discard.accept(this.target);
				yield null;
			}
			default -> Invocations.invoke(this.target, method, args);
		};
	}

	/**
	 * A transaction or pipeline begun while writes are held would open its connection to the master being replaced:
	 * it waits for the new one, as a single write does.
	 */
	private @Nullable Object beginBatch(Method method, @Nullable Object @Nullable [] args) throws Exception {
		WriteGuard guard = this.retry.getWriteGuard();
		if (guard.isHoldingWrites() && !this.watching) {
			guard.awaitWritesReleased();
			connectionFor(true);
		}
		long holdsBegun = guard.holdsBegun();
		Object result = (this.batch == null && !this.watching) ? begin(method, args)
				: Invocations.invoke(this.target, method, args);
		if (this.batch == null) {
			boolean pipeline = method.getName().equals("openPipeline");
			// A pipeline keeps its calls to send them again when it is cut off; a transaction only for a failover.
			this.batch = new QueuedCalls(pipeline, holdsBegun, this.watching, pipeline || guard.canHoldWrites());
		}
		return result;
	}

	/**
	 * Opens a session on the dedicated connection ({@code WATCH}, {@code MULTI}, a pipeline) while nothing is held on
	 * it yet, under the retry: when no connection could be had (Redis restarting) or the begin failed, it is begun
	 * again on a fresh connection, and the failed one goes with whatever state it got. Nothing was queued, so nothing
	 * is sent twice.
	 */
	private @Nullable Object begin(Method method, @Nullable Object @Nullable [] args) throws Exception {
		return this.retry.execute(true, (attempt) -> Invocations.invoke(connectionFor(attempt > 1), method, args));
	}

	/**
	 * Ends a transaction or pipeline. When a failover began while its writes were queued, they may have gone to the
	 * old master, which acknowledges them and then discards them: they are sent again to the new master, or, where
	 * that is not safe, the application gets a {@link MasterChangedException}. A pipeline whose commands may all run
	 * twice is also sent again when it is cut off (a restart, a dropped connection), under the retry.
	 */
	private @Nullable Object endBatch(Method method, @Nullable Object @Nullable [] args) throws Exception {
		QueuedCalls batch = this.batch;
		this.batch = null;
		boolean transaction = method.getName().equals("exec");
		try {
			if (batch != null && batch.isPipeline() && !batch.hasNonIdempotentWrites()) {
				// Every command of it may run twice: a pipeline cut off before its replies came is sent again.
				return this.retry.execute(true, (attempt) -> (attempt == 1) ? endOnce(batch, method, args, false)
						: sendAgain(batch, method, args));
			}
			return endOnce(batch, method, args, transaction);
		}
		finally {
			if (transaction) {
				this.watching = false;
			}
		}
	}

	/**
	 * Ends it once: as it is, or, when a failover began while its writes were queued, by sending it again to the new
	 * master where that is safe.
	 */
	private @Nullable Object endOnce(@Nullable QueuedCalls batch, Method method, @Nullable Object @Nullable [] args,
			boolean transaction) throws Exception {
		WriteGuard guard = this.retry.getWriteGuard();
		if (batch == null || !batch.hasWrites()) {
			return Invocations.invoke(this.target, method, args);
		}
		if (!batch.mayHaveReachedAReplacedMaster(guard)) {
			return endAndConfirm(method, args);
		}
		if (transaction) {
			quietly(this.target::discard);
			if (batch.isWatched()) {
				throw new MasterChangedException("The master changed during a transaction on watched keys: it "
						+ "was discarded, not applied; run it again");
			}
		}
		else {
			quietly(this.target::closePipeline);
			if (batch.hasNonIdempotentWrites()) {
				throw new MasterChangedException("The master changed during a pipeline whose writes would apply "
						+ "twice if sent again: some of them may or may not have been applied");
			}
		}
		return sendAgain(batch, method, args);
	}

	private @Nullable Object sendAgain(QueuedCalls batch, Method end, @Nullable Object @Nullable [] args)
			throws Exception {
		WriteGuard guard = this.retry.getWriteGuard();
		if (guard.isHoldingWrites()) {
			guard.awaitWritesReleased();
		}
		connectionFor(true);
		if (batch.isPipeline()) {
			this.target.openPipeline();
		}
		else {
			this.target.multi();
		}
		for (QueuedCalls.Call call : batch.calls()) {
			Method getter = call.subCommandsGetter();
			Object target = (getter != null) ? Invocations.invoke(this.target, getter, null) : this.target;
			Assert.state(target != null, "'target' must not be null");
			Invocations.invoke(target, call.method(), call.args());
		}
		return endAndConfirm(end, args);
	}

	private @Nullable Object endAndConfirm(Method end, @Nullable Object @Nullable [] args) throws Exception {
		WriteGuard guard = this.retry.getWriteGuard();
		// While queueing or pipelining, the native connection is the dedicated one the writes went out on.
		Object nativeConnection = guard.confirmsWrites() ? this.target.getNativeConnection() : null;
		Object result = Invocations.invoke(this.target, end, args);
		if (nativeConnection != null) {
			guard.confirmWrite(nativeConnection);
		}
		return result;
	}

	/**
	 * One attempt: a held write waits, then runs on a fresh connection because the master may have moved while it
	 * waited.
	 */
	private @Nullable Object runAttempt(@Nullable Method getter, Method method, @Nullable Object @Nullable [] args,
			int attempt) throws Exception {
		WriteGuard guard = this.retry.getWriteGuard();
		boolean fresh = attempt > 1;
		boolean write = (guard.isHoldingWrites() || guard.confirmsWrites())
				&& !ReadOnlyCommands.isReadOnly(method, args);
		if (write && guard.isHoldingWrites()) {
			guard.awaitWritesReleased();
			fresh = true;
		}
		RedisConnection connection = connectionFor(fresh);
		Object target = (getter != null) ? Invocations.invoke(connection, getter, null) : connection;
		Assert.state(target != null, "'target' must not be null");
		Object result;
		try {
			result = Invocations.invoke(target, method, args);
		}
		catch (Exception ex) {
			if (connection instanceof RedisClusterConnection && CrossSlotCalls.runsAsSeveralCommands(method, args)) {
				throw new UnconfirmedWriteException(ex); // an earlier command of the call may have been applied
			}
			throw ex;
		}
		if (write && guard.confirmsWrites()) {
			try {
				guard.confirmWrite(connection.getNativeConnection());
			}
			catch (Exception ex) {
				throw new UnconfirmedWriteException(ex);
			}
		}
		return result;
	}

	/**
	 * {@code LettuceConnection.execute(command, output, args)} decodes into the caller's output, which a timed out
	 * attempt may still be filling when a retry starts: such calls run once.
	 */
	private static boolean fillsCallersOutput(@Nullable Object @Nullable [] args) {
		return args != null && args.length > 1 && args[1] instanceof CommandOutput<?, ?, ?>;
	}

	private RedisConnection connectionFor(boolean fresh) {
		if (fresh && !this.watching) {
			RedisConnection previous = this.target;
			this.target = this.connections.get();
			// Replaced because it failed or may lead to the old master: it is closed, not pooled.
			quietly(() -> this.discard.accept(previous));
			this.failed = false;
		}
		return this.target;
	}

	private Object subCommandsProxy(Method getter) {
		if (this.subCommandProxies == null) {
			this.subCommandProxies = new HashMap<>();
		}
		return this.subCommandProxies.computeIfAbsent(getter,
				(key) -> ConnectionProxies.forInterface(key.getReturnType(),
						(proxy, method, args) -> (method.getDeclaringClass() == Object.class)
								? invokeObjectMethod(proxy, method, args) : invokeOnSubCommands(key, method, args)));
	}

	private @Nullable Object invokeObjectMethod(Object proxy, Method method, @Nullable Object @Nullable [] args) {
		return switch (method.getName()) {
			case "equals" -> args != null && proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			default -> "Retrying(" + this.target + ")";
		};
	}

	private static void quietly(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			// Ending what the old master holds is best effort: the connection may be gone already.
		}
	}

}
