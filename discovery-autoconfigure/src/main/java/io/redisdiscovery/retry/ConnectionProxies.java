package io.redisdiscovery.retry;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.objenesis.SpringObjenesis;
import org.springframework.util.ClassUtils;

/**
 * Creates the proxies that put a {@link RetryingConnectionHandler} in front of a connection and its sub-command
 * interfaces, from classes generated once per type: a proxy is created for every connection handle.
 */
final class ConnectionProxies {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionProxies.class);

	private static final Map<Class<?>, Function<InvocationHandler, Object>> CONNECTION_PROXIES =
			new ConcurrentHashMap<>();

	private static final Map<Class<?>, Function<InvocationHandler, Object>> CLASS_PROXIES = new ConcurrentHashMap<>();

	private static final Map<Class<?>, Constructor<?>> INTERFACE_PROXIES = new ConcurrentHashMap<>();

	private static final SpringObjenesis OBJENESIS = new SpringObjenesis();

	private ConnectionProxies() {
	}

	/**
	 * A proxy that is an instance of {@code connectionType} (or of its nearest public, non-final superclass, such
	 * as {@code LettuceConnection}), so that code checking for Lettuce's types keeps working. Every method goes to
	 * the handler; the proxy's own fields are never initialized nor used. It is not a {@link Proxy}: that class is
	 * {@code Serializable}, and {@code RedisTemplate} checks every interface of the connection class against its own
	 * class loader for each {@code RedisCallback} and script, so {@code java.io.Serializable} cost a class-loader
	 * lookup on every such call.
	 */
	static Object forConnection(Class<?> connectionType, InvocationHandler handler) {
		return CONNECTION_PROXIES.computeIfAbsent(connectionType, ConnectionProxies::connectionProxyFactory)
			.apply(handler);
	}

	/**
	 * A proxy that is an instance of exactly {@code type}, which may be package-private: Spring Data's reactive
	 * connection and cluster command classes are, and its cluster connection declares its command getters with those
	 * classes as return types, so a proxy of their interfaces would not do. Created like
	 * {@link #forConnection(Class, InvocationHandler)}; where classes cannot be generated, a JDK proxy of the type's
	 * interfaces.
	 */
	static Object forClass(Class<?> type, InvocationHandler handler) {
		return CLASS_PROXIES.computeIfAbsent(type, (key) -> cglibProxyFactory(key, key)).apply(handler);
	}

	/** A JDK proxy implementing one interface. */
	static Object forInterface(Class<?> type, InvocationHandler handler) {
		return newJdkProxy(
				INTERFACE_PROXIES.computeIfAbsent(type, (key) -> jdkProxyConstructor(key, new Class<?>[] { key })),
				handler);
	}

	private static Function<InvocationHandler, Object> connectionProxyFactory(Class<?> connectionType) {
		return cglibProxyFactory(connectionType, null);
	}

	/**
	 * Proxies extending {@code superclass}, or the nearest {@link #proxiableSuperclass} of {@code connectionType} when
	 * it is {@code null}.
	 */
	private static Function<InvocationHandler, Object> cglibProxyFactory(Class<?> connectionType,
			@Nullable Class<?> superclass) {
		try {
			Class<?> proxyClass = cglibSubclass(
					(superclass != null) ? superclass : proxiableSuperclass(connectionType));
			return (handler) -> {
				// Created without running a constructor: a connection's constructor would open or borrow a connection.
				Factory proxy = (Factory) OBJENESIS.newInstance(proxyClass, true);
				proxy.setCallbacks(new Callback[] { (org.springframework.cglib.proxy.InvocationHandler) handler::invoke,
						NoOp.INSTANCE });
				return proxy;
			};
		}
		catch (RuntimeException | LinkageError ex) {
			// Where classes cannot be generated at run time (a native image, say), a JDK proxy of the connection's
			// interfaces does the same job, but is no longer an instance of Lettuce's connection class.
			logger.debug("Using a JDK proxy for {} connections: {}", connectionType.getName(), ex.toString());
			return jdkProxyFactory(connectionType);
		}
	}

	/** Proxies of every interface of the connection type: the fallback where classes cannot be generated. */
	static Function<InvocationHandler, Object> jdkProxyFactory(Class<?> connectionType) {
		Constructor<?> constructor = jdkProxyConstructor(connectionType, jdkProxyInterfaces(connectionType));
		return (handler) -> newJdkProxy(constructor, handler);
	}

	/**
	 * The interfaces, in order, of the JDK proxy {@link #jdkProxyFactory(Class)} creates for a connection type; a
	 * native image knows a proxy class only by this exact list ({@link ConnectionProxiesRuntimeHints}).
	 */
	static Class<?>[] jdkProxyInterfaces(Class<?> connectionType) {
		return ClassUtils.getAllInterfacesForClass(connectionType);
	}

	/** The class a proxy can extend: Spring Data's public connection class rather than a private subclass of it. */
	static Class<?> proxiableSuperclass(Class<?> connectionType) {
		Class<?> type = connectionType;
		while (Modifier.isFinal(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())
				|| type.getName().contains(ClassUtils.CGLIB_CLASS_SEPARATOR)) {
			Class<?> superclass = type.getSuperclass();
			if (superclass == null || superclass == Object.class) {
				throw new IllegalStateException("No public, non-final superclass of " + connectionType.getName());
			}
			type = superclass;
		}
		return type;
	}

	private static Class<?> cglibSubclass(Class<?> superclass) {
		Enhancer enhancer = new Enhancer();
		enhancer.setSuperclass(superclass);
		enhancer.setClassLoader(superclass.getClassLoader());
		enhancer.setUseFactory(true);
		// finalize and clone are left alone: overriding finalize would make every handle finalizable.
		enhancer.setCallbackFilter(ConnectionProxies::callbackIndex);
		enhancer.setCallbackTypes(
				new Class<?>[] { org.springframework.cglib.proxy.InvocationHandler.class, NoOp.class });
		return enhancer.createClass();
	}

	private static int callbackIndex(Method method) {
		boolean objectInternal = method.getDeclaringClass() == Object.class
				&& (method.getName().equals("finalize") || method.getName().equals("clone"));
		return objectInternal ? 1 : 0;
	}

	private static Object newJdkProxy(Constructor<?> constructor, InvocationHandler handler) {
		try {
			return constructor.newInstance(handler);
		}
		catch (ReflectiveOperationException ex) {
			String type = constructor.getDeclaringClass().getName();
			throw new IllegalStateException("Cannot create a retrying proxy of " + type, ex);
		}
	}

	private static Constructor<?> jdkProxyConstructor(Class<?> type, Class<?>[] interfaces) {
		// The class newProxyInstance generates, once; its constructor then creates each proxy.
		Class<?> proxyClass = Proxy.newProxyInstance(type.getClassLoader(), interfaces, (proxy, method, args) -> null)
			.getClass();
		try {
			return proxyClass.getConstructor(InvocationHandler.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("Proxy class " + proxyClass.getName() + " has no handler constructor", ex);
		}
	}

}
