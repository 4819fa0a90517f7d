package io.redisdiscovery.retry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.redis.connection.RedisClusterServerCommands;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionProxiesRuntimeHintsTests {

	private final RuntimeHints hints = registeredHints();

	@Test
	void jdkProxiesOfConnectionsShouldBeHinted() {
		for (Class<?> type : new Class<?>[] { LettuceConnection.class, LettuceClusterConnection.class }) {
			// The proxy class the native fallback really creates, not the list the registrar computes.
			Class<?>[] interfaces = jdkProxy(type).getClass().getInterfaces();
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(interfaces)).as(type.getName())
				.accepts(this.hints);
		}
	}

	@Test
	void jdkProxiesOfReactiveConnectionsShouldBeHinted() {
		for (String name : ConnectionProxiesRuntimeHints.REACTIVE_CONNECTION_TYPES) {
			Class<?> type = ClassUtils.resolveClassName(name, null);
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(jdkProxy(type).getClass().getInterfaces()))
				.as(name)
				.accepts(this.hints);
		}
	}

	@Test
	void everySubCommandsInterfaceOfTheConnectionsShouldBeProxiedAndInvokable() {
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(RedisStringCommands.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(RedisStreamCommands.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(RedisClusterServerCommands.class))
			.accepts(this.hints);
		for (Class<?> type : new Class<?>[] { LettuceConnection.class, LettuceClusterConnection.class }) {
			for (Method method : jdkProxy(type).getClass().getMethods()) {
				if (SubCommandGetters.returnsSubCommands(method)) {
					Class<?> subCommands = method.getReturnType();
					assertThat(RuntimeHintsPredicates.proxies().forInterfaces(subCommands)).as(method.toString())
						.accepts(this.hints);
					assertThat(RuntimeHintsPredicates.reflection()
						.onType(subCommands)
						.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).as(method.toString())
						.accepts(this.hints);
				}
			}
		}
	}

	@Test
	void commandsShouldBeInvokableOnTheRealConnection() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(RedisStringCommands.class.getMethod("get", byte[].class))).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RedisConnection.class.getMethod("close")))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(RedisConnection.class.getMethod("stringCommands"))).accepts(this.hints);
	}

	private static Object jdkProxy(Class<?> type) {
		InvocationHandler handler = (proxy, method, args) -> null;
		return ConnectionProxies.jdkProxyFactory(type).apply(handler);
	}

	@Test
	void registrarShouldBeListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(ConnectionProxiesRuntimeHints.class);
	}

	/** The starter's hints alone: Spring Data Redis' own registrar hints some of the same proxies. */
	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new ConnectionProxiesRuntimeHints().registerHints(hints,
				ConnectionProxiesRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
