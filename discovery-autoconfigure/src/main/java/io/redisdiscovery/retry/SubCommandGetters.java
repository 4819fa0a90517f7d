package io.redisdiscovery.retry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * Tells the getters of Spring Data's sub-command interfaces ({@code stringCommands()}, {@code keyCommands()}, ...)
 * apart from the commands of a {@link RedisConnection}: their results are proxied too, so that the commands called on
 * them are retried.
 */
final class SubCommandGetters {

	private static final String COMMANDS_PACKAGE = RedisConnection.class.getPackageName();

	// Keeps reflection off the per-command path.
	private static final Map<Method, Boolean> GETTERS = new ConcurrentHashMap<>();

	private SubCommandGetters() {
	}

	/**
	 * Whether a connection method is such a getter, remembered per method.
	 * @param method a method called on a connection
	 * @return {@code true} when it is
	 */
	static boolean isGetter(Method method) {
		return GETTERS.computeIfAbsent(method, SubCommandGetters::returnsSubCommands);
	}

	/**
	 * Whether a connection method returns one of Spring Data's sub-command interfaces, which the handler proxies with
	 * {@link ConnectionProxies#forInterface(Class, InvocationHandler)}.
	 * @param method a method of a connection type
	 * @return {@code true} when it does
	 */
	static boolean returnsSubCommands(Method method) {
		if (method.getParameterCount() != 0) {
			return false;
		}
		Class<?> type = method.getReturnType();
		return type.isInterface() && type.getName().endsWith("Commands")
				&& type.getPackageName().equals(COMMANDS_PACKAGE);
	}

}
