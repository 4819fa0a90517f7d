package io.redisdiscovery.retry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;

/**
 * Sends every command of a {@link ReactiveRedisConnection} through a {@link ReactiveCommandRetry}: each returned
 * {@link Mono} or {@link Flux} subscribes to the command again where the rules allow, on a freshly taken connection.
 * <p>
 * A fresh connection is needed because Spring Data's reactive connection holds the shared native connection it was
 * created with: after the factory resets that connection (a stalled peer, a Sentinel switch), the handle would keep
 * sending to the closed one.
 */
final class RetryingReactiveConnectionHandler implements InvocationHandler {

	/**
	 * Calls that manage the connection, reach Spring Data's internals, or are pub/sub (a subscription is a stream
	 * whose repetition makes no sense).
	 */
	private static final Set<String> NOT_RETRIED = Set.of("close", "closeLater", "pubSubCommands", "getConnection",
			"getDedicatedConnection", "getPubSubConnection", "getCommands", "getDedicatedCommands", "execute",
			"executeDedicated", "translateException");

	private final Supplier<? extends ReactiveRedisConnection> connections;

	private final ReactiveCommandRetry retry;

	private final Function<ReactiveRedisConnection, Mono<? extends StatefulConnection<?, ?>>> nativeConnections;

	private final AtomicReference<@Nullable ReactiveRedisConnection> target;

	/** Connections replaced by a retry: closed with this handle, not before, as other commands may still use them. */
	private final List<ReactiveRedisConnection> retired = new ArrayList<>();

	private @Nullable ReactiveRedisConnection pubSubTarget;

	private final Map<Method, Object> subCommandProxies = new ConcurrentHashMap<>();

	private RetryingReactiveConnectionHandler(@Nullable ReactiveRedisConnection target,
			Supplier<? extends ReactiveRedisConnection> connections, ReactiveCommandRetry retry,
			Function<ReactiveRedisConnection, Mono<? extends StatefulConnection<?, ?>>> nativeConnections) {
		this.target = new AtomicReference<>(target);
		this.connections = connections;
		this.retry = retry;
		this.nativeConnections = nativeConnections;
	}

	/**
	 * Wraps a reactive connection.
	 * @param type the class the proxy extends, Spring Data's reactive connection class
	 * @param connection the connection to start with, or {@code null} to take one for the first command (when taking
	 * it failed, so that the failure is retried like a command's)
	 * @param connections where a replacement connection comes from when a command is retried; may block
	 * @param retry the retry to apply
	 * @param nativeConnections the native connection a Spring Data reactive connection sends its commands on, to
	 * confirm writes on
	 * @return a proxy, an instance of {@code type} where classes can be generated at run time
	 */
	static Object wrap(Class<?> type, @Nullable ReactiveRedisConnection connection,
			Supplier<? extends ReactiveRedisConnection> connections, ReactiveCommandRetry retry,
			Function<ReactiveRedisConnection, Mono<? extends StatefulConnection<?, ?>>> nativeConnections) {
		return ConnectionProxies.forClass(type,
				new RetryingReactiveConnectionHandler(connection, connections, retry, nativeConnections));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return invokeObjectMethod(proxy, method, args);
		}
		String name = method.getName();
		if (name.equals("close")) {
			closeAll().block();
			return null;
		}
		if (name.equals("closeLater")) {
			return Mono.defer(this::closeAll);
		}
		if (name.equals("pubSubCommands")) {
			return Invocations.invoke(pubSubTarget(), method, args);
		}
		if (isSubCommandsGetter(method)) {
			return this.subCommandProxies.computeIfAbsent(method, this::subCommandsProxy);
		}
		if (NOT_RETRIED.contains(name)) {
			return Invocations.invoke(currentTarget(), method, args);
		}
		return invokeRetried(null, method, args);
	}

	private Object subCommandsProxy(Method getter) {
		InvocationHandler handler = (proxy, method, args) -> (method.getDeclaringClass() == Object.class)
				? invokeObjectMethod(proxy, method, args) : invokeRetried(getter, method, args);
		Class<?> type = getter.getReturnType();
		// Spring Data's cluster connection declares its getters with its (package-private) command classes.
		return type.isInterface() ? ConnectionProxies.forInterface(type, handler)
				: ConnectionProxies.forClass(type, handler);
	}

	private @Nullable Object invokeRetried(@Nullable Method getter, Method method, @Nullable Object @Nullable [] args)
			throws Throwable {
		Class<?> type = method.getReturnType();
		boolean mono = type == Mono.class;
		if ((!mono && type != Flux.class) || !isResubscribable(args)) {
			return Invocations.invoke(subCommands(currentTarget(), getter), method, args);
		}
		boolean idempotent = CommandIdempotency.isIdempotent(method, constantsUnwrapped(args));
		// Each subscription follows its own connection from attempt to attempt.
		return mono
				? Mono.defer(() -> this.retry.executeMono(idempotent, monoAttempts(getter, method, args)))
				: Flux.defer(() -> this.retry.execute(idempotent, attempts(getter, method, args)));
	}

	@SuppressWarnings("unchecked")
	private IntFunction<Mono<Object>> monoAttempts(@Nullable Method getter, Method method,
			@Nullable Object @Nullable [] args) {
		IntFunction<Flux<Object>> attempts = attempts(getter, method, args);
		return (attempt) -> Mono.fromDirect(attempts.apply(attempt));
	}

	private IntFunction<Flux<Object>> attempts(@Nullable Method getter, Method method,
			@Nullable Object @Nullable [] args) {
		AtomicReference<@Nullable ReactiveRedisConnection> used = new AtomicReference<>();
		return (attempt) -> {
			WriteGuard guard = this.retry.getWriteGuard();
			boolean write = (guard.isHoldingWrites() || guard.confirmsWrites())
					&& !ReadOnlyCommands.isReadOnly(method, args);
			boolean confirm = write && guard.confirmsWrites();
			return awaitWritesReleased(write ? guard : WriteGuard.NONE)
				.flatMap((held) -> connectionFor(attempt > 1 || held, used.get()))
				.flatMapMany((connection) -> {
					used.set(connection);
					Flux<Object> results = Flux.from(invokePublisher(connection, getter, method, args));
					if (connection instanceof ReactiveRedisClusterConnection
							&& CrossSlotCalls.mayRunAsSeveralCommands(method)) {
						// An earlier command of the call may have been applied, whatever the last one's failure says.
						results = results.onErrorMap(Exception.class::isInstance,
								(ex) -> new UnconfirmedWriteException((Exception) ex));
					}
					return confirm ? confirmed(results, connection, guard) : results;
				});
		};
	}

	/**
	 * A held write waits, then runs on a fresh connection because the master may have moved while it waited. The
	 * guard only offers a blocking wait, so it runs where blocking is allowed.
	 */
	private static Mono<Boolean> awaitWritesReleased(WriteGuard guard) {
		if (!guard.isHoldingWrites()) {
			return Mono.just(false);
		}
		return Mono.fromCallable(() -> {
			guard.awaitWritesReleased();
			return true;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** The write's results, emitted once the guard confirmed it on the native connection it ran on. */
	private Flux<Object> confirmed(Flux<Object> results, ReactiveRedisConnection connection, WriteGuard guard) {
		return results.collectList()
			.flatMapMany((list) -> this.nativeConnections.apply(connection)
				.flatMap((nativeConnection) -> Mono.fromCallable(() -> {
					try {
						guard.confirmWrite(asyncCommands(nativeConnection));
					}
					catch (Exception ex) {
						throw new UnconfirmedWriteException(ex);
					}
					return true;
				}).subscribeOn(Schedulers.boundedElastic()))
				.thenMany(Flux.fromIterable(list)));
	}

	/** What {@link WriteGuard#confirmWrite} sends {@code WAIT} on: the native asynchronous commands. */
	private static Object asyncCommands(StatefulConnection<?, ?> nativeConnection) {
		return (nativeConnection instanceof StatefulRedisClusterConnection<?, ?> cluster) ? cluster.async()
				: ((StatefulRedisConnection<?, ?>) nativeConnection).async();
	}

	/**
	 * The connection for an attempt: the current one, or a fresh one from the factory (taking it may block while it
	 * connects, so not on the caller's thread). A connection another command replaced meanwhile is fresh enough.
	 */
	private Mono<ReactiveRedisConnection> connectionFor(boolean fresh, @Nullable ReactiveRedisConnection previous) {
		ReactiveRedisConnection current = this.target.get();
		if (current != null && (!fresh || (previous != null && current != previous))) {
			return Mono.just(current);
		}
		return Mono.fromCallable(() -> replaceTarget(current)).subscribeOn(Schedulers.boundedElastic());
	}

	private synchronized ReactiveRedisConnection replaceTarget(@Nullable ReactiveRedisConnection expected) {
		ReactiveRedisConnection current = this.target.get();
		if (current != null && current != expected) {
			return current;
		}
		ReactiveRedisConnection fresh = this.connections.get();
		if (current != null) {
			this.retired.add(current);
		}
		this.target.set(fresh);
		return fresh;
	}

	private ReactiveRedisConnection currentTarget() {
		ReactiveRedisConnection current = this.target.get();
		return (current != null) ? current : replaceTarget(null);
	}

	/** Subscriptions stay on the connection they started on: a retry never moves them. */
	private synchronized ReactiveRedisConnection pubSubTarget() {
		if (this.pubSubTarget == null) {
			this.pubSubTarget = currentTarget();
		}
		return this.pubSubTarget;
	}

	private Mono<Void> closeAll() {
		Set<ReactiveRedisConnection> all = new LinkedHashSet<>();
		synchronized (this) {
			all.addAll(this.retired);
			this.retired.clear();
			ReactiveRedisConnection current = this.target.get();
			if (current != null) {
				all.add(current);
			}
			if (this.pubSubTarget != null) {
				all.add(this.pubSubTarget);
			}
		}
		return Flux.fromIterable(all).concatMapDelayError(ReactiveRedisConnection::closeLater).then();
	}

	/**
	 * Whether subscribing to the call again sends the same commands: a caller's stream of commands (anything but a
	 * constant such as {@code Mono.just}) might do its work again, so it is sent once.
	 */
	private static boolean isResubscribable(@Nullable Object @Nullable [] args) {
		if (args != null) {
			for (Object arg : args) {
				if (arg instanceof Publisher<?> && !(arg instanceof Fuseable.ScalarCallable<?>)) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * The arguments with each constant ({@code Mono.just(command)}) replaced by its value, so that the command
	 * object's options ({@code SET ... NX}) are judged like a method argument's.
	 */
	private static @Nullable Object @Nullable [] constantsUnwrapped(@Nullable Object @Nullable [] args) {
		if (args == null) {
			return null;
		}
		@Nullable Object[] unwrapped = args.clone();
		for (int i = 0; i < unwrapped.length; i++) {
			if (unwrapped[i] instanceof Fuseable.ScalarCallable<?> constant) {
				unwrapped[i] = constantValue(constant);
			}
		}
		return unwrapped;
	}

	private static @Nullable Object constantValue(Fuseable.ScalarCallable<?> constant) {
		try {
			return constant.call();
		}
		catch (Exception ex) {
			return null;
		}
	}

	private static Object subCommands(ReactiveRedisConnection connection, @Nullable Method getter) throws Exception {
		if (getter == null) {
			return connection;
		}
		Object commands = Invocations.invoke(connection, getter, null);
		if (commands == null) {
			throw new IllegalStateException(getter.getName() + "() of " + connection + " returned null");
		}
		return commands;
	}

	private static Publisher<Object> invokePublisher(ReactiveRedisConnection connection, @Nullable Method getter,
			Method method, @Nullable Object @Nullable [] args) {
		try {
			@SuppressWarnings("unchecked")
			Publisher<Object> publisher = (Publisher<Object>) Invocations.invoke(subCommands(connection, getter), method,
					args);
			return (publisher != null) ? publisher : Flux.empty();
		}
		catch (Exception ex) {
			return Flux.error(ex);
		}
	}

	private @Nullable Object invokeObjectMethod(Object proxy, Method method, @Nullable Object @Nullable [] args) {
		return switch (method.getName()) {
			case "equals" -> args != null && proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			default -> "Retrying(" + this.target.get() + ")";
		};
	}

	private static boolean isSubCommandsGetter(Method method) {
		return method.getParameterCount() == 0 && method.getName().endsWith("Commands");
	}


}
