package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for the retrying connection handles in a native image. There, classes cannot be generated at run
 * time, so {@link ConnectionProxies} falls back to JDK proxies, whose interface lists must be known at build time, and
 * {@link RetryingConnectionHandler} calls the proxied interfaces' methods on Lettuce's connections by reflection.
 */
class ConnectionProxiesRuntimeHints implements RuntimeHintsRegistrar {

	/** The connections the retrying factory wraps in a {@link RetryingConnectionHandler}. */
	static final List<Class<?>> CONNECTION_TYPES = List.of(LettuceConnection.class, LettuceClusterConnection.class);

	/**
	 * Spring Data's package-private reactive connection classes. Their handles cannot be proxied without class
	 * generation, so the factory hands out the connections undecorated; it still creates the JDK proxy to find that
	 * out, which would fail without these hints.
	 */
	static final List<String> REACTIVE_CONNECTION_TYPES = List.of(
			"org.springframework.data.redis.connection.lettuce.LettuceReactiveRedisConnection",
			"org.springframework.data.redis.connection.lettuce.LettuceReactiveRedisClusterConnection");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		Set<Class<?>> subCommands = new LinkedHashSet<>();
		for (Class<?> connectionType : CONNECTION_TYPES) {
			Class<?>[] interfaces = ConnectionProxies.jdkProxyInterfaces(connectionType);
			hints.proxies().registerJdkProxy(interfaces);
			for (Class<?> type : interfaces) {
				invokable(hints, type);
				for (Method method : type.getMethods()) {
					if (SubCommandGetters.returnsSubCommands(method)) {
						subCommands.add(method.getReturnType());
					}
				}
			}
		}
		for (Class<?> type : subCommands) {
			hints.proxies().registerJdkProxy(type);
			invokable(hints, type);
		}
		for (String name : REACTIVE_CONNECTION_TYPES) {
			if (ClassUtils.isPresent(name, classLoader)) {
				Class<?> type = ClassUtils.resolveClassName(name, classLoader);
				hints.proxies().registerJdkProxy(ConnectionProxies.jdkProxyInterfaces(type));
			}
		}
	}

	/**
	 * The handler runs each command by invoking the method the proxy received, which is declared by the proxied
	 * interface or one it extends ({@code RedisConnection.close()} for a {@code DefaultedRedisConnection}), on the real
	 * connection.
	 */
	private static void invokable(RuntimeHints hints, Class<?> proxiedInterface) {
		Set<Class<?>> declaringTypes = new LinkedHashSet<>();
		declaringTypes.add(proxiedInterface);
		for (Method method : proxiedInterface.getMethods()) {
			declaringTypes.add(method.getDeclaringClass());
		}
		for (Class<?> type : declaringTypes) {
			hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}
