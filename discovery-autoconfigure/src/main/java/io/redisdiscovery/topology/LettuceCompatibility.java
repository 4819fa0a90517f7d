package io.redisdiscovery.topology;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.DnsResolver;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the Lettuce lines the starter runs on: 6.8 (Spring Boot 4.0) and 7.x (Spring Boot 4.1).
 * One source tree compiles against both, so the few Lettuce 7 methods the starter needs are called by name when
 * they exist, and are no-ops on Lettuce 6, whose defaults already are what the starter wants.
 *
 * @since 0.1.0
 */
public final class LettuceCompatibility {

	/** {@code io.lettuce.core.MaintNotificationsConfig}, Lettuce 7 and later. */
	private static final @Nullable Object MAINT_NOTIFICATIONS_DISABLED = maintNotificationsDisabled();

	private static final @Nullable Method MAINT_NOTIFICATIONS_CONFIG = (MAINT_NOTIFICATIONS_DISABLED != null)
			? method(ClientOptions.Builder.class, "maintNotificationsConfig", MAINT_NOTIFICATIONS_DISABLED.getClass())
			: null;

	/** {@code ClusterTopologyRefreshOptions.Builder#disableAllAdaptiveRefreshTriggers()}, Lettuce 7 and later. */
	private static final @Nullable Method DISABLE_ALL_ADAPTIVE_REFRESH_TRIGGERS = method(
			ClusterTopologyRefreshOptions.Builder.class, "disableAllAdaptiveRefreshTriggers");

	private LettuceCompatibility() {
	}

	/**
	 * The JVM's own resolver ({@code DnsResolvers.JVM_DEFAULT} in Lettuce 6, removed in Lettuce 7).
	 * @return a resolver that asks {@link InetAddress#getAllByName(String)}
	 */
	public static DnsResolver jvmDnsResolver() {
		return InetAddress::getAllByName;
	}

	/**
	 * Turns off Lettuce 7's maintenance notifications (on by default there; Lettuce 6 has none). With them on, every
	 * connection sends {@code CLIENT MAINT_NOTIFICATIONS ON} after its handshake, which a plain {@code redis-server}
	 * and Sentinel answer with an error (one more round trip and error per connect), and on a Redis Enterprise
	 * notification Lettuce would move connections to an endpoint of the server's choosing and stretch command
	 * timeouts by 10 s: both bypass the starter's discovery and retry bounds. A
	 * {@code LettuceClientOptionsBuilderCustomizer} applied afterwards can turn them back on.
	 * @param <B> the builder type
	 * @param builder the options being built
	 * @return the same builder
	 */
	public static <B extends ClientOptions.Builder> B disableMaintNotifications(B builder) {
		if (MAINT_NOTIFICATIONS_CONFIG != null) {
			invoke(MAINT_NOTIFICATIONS_CONFIG, builder, MAINT_NOTIFICATIONS_DISABLED);
		}
		return builder;
	}

	/**
	 * Carries the maintenance notifications setting of {@code source} over to {@code builder}: Lettuce 7's
	 * {@code ClusterClientOptions.mutate()} and {@code ClusterClientOptions.builder(ClientOptions)} leave it out,
	 * which turns the notifications back on.
	 * @param <B> the builder type
	 * @param source the options whose setting is kept
	 * @param builder the options being built
	 * @return the same builder
	 */
	public static <B extends ClientOptions.Builder> B copyMaintNotifications(ClientOptions source, B builder) {
		Method getter = method(ClientOptions.class, "getMaintNotificationsConfig");
		if (getter != null && MAINT_NOTIFICATIONS_CONFIG != null) {
			invoke(MAINT_NOTIFICATIONS_CONFIG, builder, invoke(getter, source));
		}
		return builder;
	}

	/**
	 * Whether the options have Lettuce 7's maintenance notifications on.
	 * @param options client options
	 * @return {@code false} on Lettuce 6, which has none
	 */
	public static boolean maintNotificationsEnabled(ClientOptions options) {
		Method getter = method(ClientOptions.class, "getMaintNotificationsConfig");
		if (getter == null) {
			return false;
		}
		Object config = invoke(getter, options);
		Method enabled = method(config.getClass(), "maintNotificationsEnabled");
		return enabled != null && Boolean.TRUE.equals(invoke(enabled, config));
	}

	/**
	 * Leaves the slot map without adaptive refresh triggers: Lettuce 7 enables all of them by default, Lettuce 6
	 * none.
	 * @param builder the refresh options being built
	 * @return the same builder
	 */
	public static ClusterTopologyRefreshOptions.Builder disableAdaptiveRefreshTriggers(
			ClusterTopologyRefreshOptions.Builder builder) {
		if (DISABLE_ALL_ADAPTIVE_REFRESH_TRIGGERS != null) {
			invoke(DISABLE_ALL_ADAPTIVE_REFRESH_TRIGGERS, builder);
		}
		return builder;
	}

	private static @Nullable Object maintNotificationsDisabled() {
		try {
			Class<?> config = Class.forName("io.lettuce.core.MaintNotificationsConfig", false,
					ClientOptions.class.getClassLoader());
			Method disabled = config.getMethod("disabled");
			return disabled.invoke(null);
		}
		catch (ClassNotFoundException | NoSuchMethodException ex) {
			return null;
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Cannot create Lettuce's MaintNotificationsConfig.disabled()", ex);
		}
	}

	private static @Nullable Method method(Class<?> type, String name, Class<?>... parameterTypes) {
		try {
			return type.getMethod(name, parameterTypes);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	private static Object invoke(Method method, Object target, @Nullable Object... args) {
		try {
			return method.invoke(target, args);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call Lettuce's " + method, ex);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Lettuce's " + method + " failed", cause);
		}
	}

}
