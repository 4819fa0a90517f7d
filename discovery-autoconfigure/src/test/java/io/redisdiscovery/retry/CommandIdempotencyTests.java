package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisCommands;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

class CommandIdempotencyTests {

	private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);

	@Test
	void readsAndPlainWritesShouldBeIdempotent() {
		assertThat(CommandIdempotency.isIdempotent(method(RedisStringCommands.class, "get", byte[].class),
				new Object[] { KEY }))
			.isTrue();
		assertThat(CommandIdempotency.isIdempotent(
				method(RedisStringCommands.class, "set", byte[].class, byte[].class), new Object[] { KEY, KEY }))
			.isTrue();
	}

	@Test
	void countersAndPushesShouldNotBeIdempotent() {
		assertThat(CommandIdempotency.isIdempotent(method(RedisStringCommands.class, "incr", byte[].class),
				new Object[] { KEY }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(method(RedisStringCommands.class, "setNX", byte[].class,
				byte[].class), new Object[] { KEY, KEY }))
			.isFalse();
	}

	@Test
	void setWithConditionShouldNotBeIdempotent() {
		Method set = method(RedisStringCommands.class, "set", byte[].class, byte[].class, Expiration.class,
				SetOption.class);
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { KEY, KEY, Expiration.persistent(), SetOption.ifAbsent() }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { KEY, KEY, Expiration.persistent(), SetOption.upsert() }))
			.isTrue();
	}

	@Test
	void executeShouldBeJudgedByItsCommandName() {
		Method execute = method(RedisCommands.class, "execute", String.class, byte[][].class);
		assertThat(CommandIdempotency.isIdempotent(execute, new Object[] { "INCR", new byte[][] { KEY } })).isFalse();
		assertThat(CommandIdempotency.isIdempotent(execute, new Object[] { "GET", new byte[][] { KEY } })).isTrue();
	}

	@Test
	void blockingReadsShouldNotBeIdempotent() {
		Method xRead = method(RedisStreamCommands.class, "xRead", StreamReadOptions.class, StreamOffset[].class);
		StreamOffset<?>[] offsets = { StreamOffset.latest(KEY) };
		assertThat(CommandIdempotency.isIdempotent(xRead,
				new Object[] { StreamReadOptions.empty().block(Duration.ofSeconds(4)), offsets }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(xRead, new Object[] { StreamReadOptions.empty().count(5), offsets }))
			.isTrue();
		Method execute = method(RedisCommands.class, "execute", String.class, byte[][].class);
		assertThat(CommandIdempotency.isIdempotent(execute, new Object[] { "WAIT", arguments("1", "500") })).isFalse();
		assertThat(CommandIdempotency.isIdempotent(execute,
				new Object[] { "XREAD", arguments("BLOCK", "0", "STREAMS", "s", "$") }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(execute, new Object[] { "XREAD", arguments("STREAMS", "s", "0") }))
			.isTrue();
	}

	private static byte[][] arguments(String... values) {
		byte[][] arguments = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			arguments[i] = values[i].getBytes(StandardCharsets.UTF_8);
		}
		return arguments;
	}

	private static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
		Method method = ReflectionUtils.findMethod(type, name, parameterTypes);
		assertThat(method).as(name).isNotNull();
		return method;
	}

}
