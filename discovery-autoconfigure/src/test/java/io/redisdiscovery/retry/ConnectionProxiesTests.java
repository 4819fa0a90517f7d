package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import io.github.resilience4j.retry.Retry;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class ConnectionProxiesTests {

	private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

	private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

	private final CommandRetry retry = new CommandRetry(Retry.ofDefaults("test"), false, RecoveryAction.NONE);

	@Test
	void connectionProxyShouldOnlyHaveInterfacesThatTheTemplatesClassLoaderHasLoaded() {
		RedisConnection connection = wrap(mock(LettuceConnection.class));
		ClassLoader templateLoader = RedisTemplate.class.getClassLoader();
		// RedisTemplate checks each of these against its class loader for every RedisCallback and script; one that
		// class loader did not load itself (java.io.Serializable of a JDK proxy) costs a class lookup every time.
		assertThat(ClassUtils.getAllInterfacesForClass(connection.getClass(), templateLoader))
			.contains(RedisConnection.class)
			.allSatisfy((type) -> assertThat(type.getClassLoader()).isSameAs(templateLoader));
	}

	@Test
	void connectionProxyShouldSendCommandsAndDefaultMethodsToTheConnection() {
		LettuceConnection target = mock(LettuceConnection.class);
		RedisStringCommands strings = mock(RedisStringCommands.class);
		given(target.stringCommands()).willReturn(strings);
		given(strings.get(KEY)).willReturn(VALUE);
		RedisConnection connection = wrap(target);
		assertThat(connection.stringCommands().get(KEY)).isEqualTo(VALUE);
		connection.execute("PING");
		verify(target).execute("PING");
	}

	@Test
	void connectionProxyShouldBeEqualOnlyToItselfAndNameItsConnection() {
		RedisConnection connection = wrap(mock(LettuceConnection.class));
		RedisConnection other = wrap(mock(LettuceConnection.class));
		assertThat(connection).isEqualTo(connection).isNotEqualTo(other).hasSameHashCodeAs(connection);
		assertThat(connection.toString()).startsWith("Retrying(");
		assertThat(other.getClass()).isSameAs(connection.getClass());
	}

	@Test
	void connectionProxyShouldNotBeFinalizable() {
		RedisConnection connection = wrap(mock(LettuceConnection.class));
		Method finalize = ReflectionUtils.findMethod(connection.getClass(), "finalize");
		assertThat(finalize).isNotNull();
		assertThat(finalize.getDeclaringClass()).isEqualTo(Object.class);
	}

	@Test
	void connectionProxyShouldBeALettuceConnectionEvenForAPrivateSubclass() {
		RedisConnection connection = wrap(new PrivateLettuceConnection());
		assertThat(connection).isInstanceOf(LettuceConnection.class).isNotInstanceOf(PrivateLettuceConnection.class);
		assertThat(ConnectionProxies.proxiableSuperclass(PrivateLettuceConnection.class))
			.isEqualTo(LettuceConnection.class);
	}

	@Test
	void jdkProxyFallbackShouldSendCommandsToTheConnection() {
		LettuceConnection target = mock(LettuceConnection.class);
		RedisStringCommands strings = mock(RedisStringCommands.class);
		given(target.stringCommands()).willReturn(strings);
		given(strings.get(KEY)).willReturn(VALUE);
		RedisConnection connection = (RedisConnection) ConnectionProxies.jdkProxyFactory(LettuceConnection.class)
			.apply((proxy, method, args) -> method.invoke(target, args));
		assertThat(connection).isNotInstanceOf(LettuceConnection.class);
		assertThat(connection.stringCommands().get(KEY)).isEqualTo(VALUE);
	}

	@Test
	void classProxyShouldFallBackToAJdkProxyOfTheInterfacesWhenNoSubclassCanBeGenerated() {
		// A final class cannot be subclassed: the same failure as where classes cannot be generated at run time.
		Greeter target = new FinalGreeter();
		Object proxy = ConnectionProxies.forClass(FinalGreeter.class,
				(self, method, args) -> "retried " + method.invoke(target, args));
		assertThat(Proxy.isProxyClass(proxy.getClass())).isTrue();
		assertThat(proxy).isInstanceOf(Greeter.class).isNotInstanceOf(FinalGreeter.class);
		assertThat(((Greeter) proxy).greet("redis")).isEqualTo("retried hello redis");
	}

	private RedisConnection wrap(LettuceConnection connection) {
		return RetryingConnectionHandler.wrap(connection, () -> connection, this.retry);
	}

	interface Greeter {

		String greet(String name);

	}

	private static final class FinalGreeter implements Greeter {

		@Override
		public String greet(String name) {
			return "hello " + name;
		}

	}

	/** Like the DNS mode's counted connection: a subclass that a proxy cannot extend. */
	private static final class PrivateLettuceConnection extends LettuceConnection {

		PrivateLettuceConnection() {
			super((StatefulRedisConnection<byte[], byte[]>) null, mock(LettuceConnectionProvider.class), 1000, 0);
		}

	}

}
