package io.redisdiscovery.retry;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.util.ClassUtils;

/**
 * Creates the proxies that put a {@link RetryingConnectionHandler} in front of a connection and its sub-command
 * interfaces, from classes generated once per type: a proxy is created for every connection handle.
 */
final class ConnectionProxies {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionProxies.class);

	private static final Map<Class<?>, Function<InvocationHandler, Object>> CONNECTION_PROXIES =
			new ConcurrentHashMap<>();

	private static final Map<Class<?>, Constructor<?>> INTERFACE_PROXIES = new ConcurrentHashMap<>();

	private ConnectionProxies() {
	}

	/**
	 * A proxy implementing every interface of {@code connectionType}. It is not a {@link Proxy}: that class is
	 * {@code Serializable}, and {@code RedisTemplate} wraps the connection of every {@code RedisCallback} (scripts
	 * included) in a proxy of all the connection class's interfaces, checking each against its own class loader, so
	 * {@code java.io.Serializable} cost a class-loader lookup on every such call.
	 */
	static Object forConnection(Class<?> connectionType, InvocationHandler handler) {
		return CONNECTION_PROXIES.computeIfAbsent(connectionType, ConnectionProxies::connectionProxyFactory)
			.apply(handler);
	}

	/** A JDK proxy implementing one interface. */
	static Object forInterface(Class<?> type, InvocationHandler handler) {
		return newJdkProxy(
				INTERFACE_PROXIES.computeIfAbsent(type, (key) -> jdkProxyConstructor(key, new Class<?>[] { key })),
				handler);
	}

	private static Function<InvocationHandler, Object> connectionProxyFactory(Class<?> connectionType) {
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(connectionType);
		try {
			Factory prototype = cglibPrototype(connectionType.getClassLoader(), interfaces);
			return (handler) -> prototype.newInstance(new Callback[] {
					(org.springframework.cglib.proxy.InvocationHandler) handler::invoke, NoOp.INSTANCE });
		}
		catch (RuntimeException | LinkageError ex) {
			// Where classes cannot be generated at run time (a native image, say), a JDK proxy does the same job.
			logger.debug("Using a JDK proxy for {} connections: {}", connectionType.getName(), ex.toString());
			Constructor<?> constructor = jdkProxyConstructor(connectionType, interfaces);
			return (handler) -> newJdkProxy(constructor, handler);
		}
	}

	private static Factory cglibPrototype(ClassLoader classLoader, Class<?>[] interfaces) {
		Enhancer enhancer = new Enhancer();
		enhancer.setClassLoader(classLoader);
		enhancer.setInterfaces(interfaces);
		// The class is named after the first interface and defined in its package (a package-private interface would
		// take precedence, defining would fail, and the JDK proxy would be used).
		enhancer.setContextClass(interfaces[0]);
		// finalize and clone are left alone: overriding finalize would make every handle finalizable.
		enhancer.setCallbackFilter(ConnectionProxies::callbackIndex);
		enhancer.setCallbacks(new Callback[] { (org.springframework.cglib.proxy.InvocationHandler) (proxy, method,
				args) -> {
			throw new IllegalStateException("Prototype connection proxy called");
		}, NoOp.INSTANCE });
		return (Factory) enhancer.create();
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
