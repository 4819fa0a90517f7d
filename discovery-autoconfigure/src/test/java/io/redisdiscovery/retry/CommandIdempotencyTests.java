package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import org.springframework.data.redis.connection.ExpirationOptions;
import org.springframework.data.redis.connection.ReactiveSetCommands;
import org.springframework.data.redis.connection.ReactiveStringCommands;
import org.springframework.data.redis.connection.ReactiveStringCommands.SetCommand;
import org.springframework.data.redis.connection.ReactiveZSetCommands;
import org.springframework.data.redis.connection.ReactiveZSetCommands.ZAddCommand;
import org.springframework.data.redis.connection.RedisCommands;
import org.springframework.data.redis.connection.RedisHashCommands;
import org.springframework.data.redis.connection.RedisHyperLogLogCommands;
import org.springframework.data.redis.connection.RedisKeyCommands;
import org.springframework.data.redis.connection.RedisListCommands;
import org.springframework.data.redis.connection.RedisSetCommands;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.RedisStringCommands.BitOperation;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.zset.DefaultTuple;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule on a representative set of commands, called as Spring Data methods and as raw {@code execute}.
 */
class CommandIdempotencyTests {

	private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);

	private static final byte[] OTHER = "other".getBytes(StandardCharsets.UTF_8);

	private static final byte[] THIRD = "third".getBytes(StandardCharsets.UTF_8);

	@Test
	void readsShouldBeIdempotent() {
		assertThat(isIdempotent(RedisStringCommands.class, "get", KEY)).isTrue();
		assertThat(isIdempotent(RedisStringCommands.class, "mGet", (Object) new byte[][] { KEY, OTHER })).isTrue();
		assertThat(execute("GET", "key")).isTrue();
		assertThat(execute("MGET", "key", "other")).isTrue();
	}

	@Test
	void plainOverwritesShouldBeIdempotent() {
		assertThat(isIdempotent(RedisStringCommands.class, "set", KEY, KEY)).isTrue();
		assertThat(execute("SET", "key", "value", "EX", "10")).isTrue();
		assertThat(execute("MSET", "key", "value", "other", "value")).isTrue();
		assertThat(isIdempotent(RedisKeyCommands.class, "expire", KEY, 10L)).isTrue();
		assertThat(execute("EXPIRE", "key", "10")).isTrue();
	}

	/** Their reply changes on a repeat: an application acting on "1 means first" would lose work. */
	@Test
	void writesWhoseReplyCountsWhatChangedShouldNotBeIdempotent() {
		assertThat(isIdempotent(RedisSetCommands.class, "sAdd", KEY, new byte[][] { OTHER })).isFalse();
		assertThat(isIdempotent(RedisSetCommands.class, "sRem", KEY, new byte[][] { OTHER })).isFalse();
		assertThat(isIdempotent(RedisKeyCommands.class, "del", (Object) new byte[][] { KEY })).isFalse();
		assertThat(isIdempotent(RedisKeyCommands.class, "unlink", (Object) new byte[][] { KEY })).isFalse();
		assertThat(isIdempotent(RedisHashCommands.class, "hSet", KEY, OTHER, KEY)).isFalse();
		assertThat(isIdempotent(RedisHashCommands.class, "hDel", KEY, new byte[][] { OTHER })).isFalse();
		assertThat(isIdempotent(RedisHyperLogLogCommands.class, "pfAdd", KEY, new byte[][] { OTHER })).isFalse();
		assertThat(isIdempotent(RedisStringCommands.class, "setBit", KEY, 7L, true)).isFalse();
		assertThat(isIdempotent(RedisStreamCommands.class, "xAck", KEY, "group", new RecordId[] { RecordId.of("1-0") }))
			.isFalse();
		assertThat(execute("SADD", "key", "member")).isFalse();
		assertThat(execute("DEL", "key")).isFalse();
		assertThat(execute("XACK", "key", "group", "1-0")).isFalse();
	}

	@Test
	void writesThatChangeTheDataAgainShouldNotBeIdempotent() {
		assertThat(isIdempotent(RedisStringCommands.class, "incr", KEY)).isFalse();
		assertThat(isIdempotent(RedisZSetCommands.class, "zRemRange", KEY, 0L, 0L)).isFalse();
		assertThat(isIdempotent(RedisListCommands.class, "lTrim", KEY, 1L, -1L)).isFalse();
		assertThat(execute("ZREMRANGEBYRANK", "key", "0", "0")).isFalse();
		assertThat(execute("LTRIM", "key", "1", "-1")).isFalse();
		assertThat(execute("XADD", "key", "*", "field", "value")).isFalse();
		assertThat(execute("XCLAIM", "key", "group", "consumer", "0", "1-0", "JUSTID")).isFalse();
		assertThat(execute("EVAL", "return 1", "0")).isFalse();
		assertThat(execute("PUBLISH", "channel", "message")).isFalse();
		assertThat(execute("NOSUCHCOMMAND", "key")).isFalse();
	}

	@Test
	void keylessCommandsShouldBeIdempotentOnlyWhenTheyReportOrAnswerTheSame() {
		assertThat(execute("PING")).isTrue();
		assertThat(execute("CONFIG", "GET", "maxmemory")).isTrue();
		assertThat(execute("SCRIPT", "LOAD", "return 1")).isTrue();
		assertThat(execute("CONFIG", "SET", "maxmemory", "0")).isFalse();
		assertThat(execute("FLUSHALL")).isFalse();
		assertThat(execute("WAIT", "1", "0")).isFalse();
	}

	@Test
	void conditionalWritesShouldNotBeIdempotent() {
		assertThat(isIdempotent(RedisStringCommands.class, "setNX", KEY, KEY)).isFalse();
		Method set = method(RedisStringCommands.class, "set", byte[].class, byte[].class, Expiration.class,
				SetOption.class);
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { KEY, KEY, Expiration.persistent(), SetOption.ifAbsent() }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { KEY, KEY, Expiration.persistent(), SetOption.ifPresent() }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { KEY, KEY, Expiration.persistent(), SetOption.upsert() }))
			.isTrue();
		assertThat(execute("SET", "key", "value", "NX")).isFalse();
		assertThat(execute("set", "key", "value", "ex", "10", "nx")).isFalse();
		assertThat(execute("SET", "key", "value", "GET")).isFalse();
		Method expire = method(RedisKeyCommands.class, "expire", byte[].class, long.class,
				ExpirationOptions.Condition.class);
		assertThat(CommandIdempotency.isIdempotent(expire, new Object[] { KEY, 10L, ExpirationOptions.Condition.NX }))
			.isFalse();
		assertThat(
				CommandIdempotency.isIdempotent(expire, new Object[] { KEY, 10L, ExpirationOptions.Condition.ALWAYS }))
			.isTrue();
		assertThat(execute("EXPIRE", "key", "10", "NX")).isFalse();
		assertThat(execute("PEXPIREAT", "key", "1000", "GT")).isFalse();
	}

	@Test
	void zaddShouldBeIdempotentOnlyWhenItOnlyUpdatesExistingMembers() {
		Method zAdd = method(RedisZSetCommands.class, "zAdd", byte[].class, double.class, byte[].class,
				ZAddArgs.class);
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { KEY, 1.0, OTHER, ZAddArgs.empty() }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { KEY, 1.0, OTHER, ZAddArgs.ifNotExists() }))
			.isFalse();
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { KEY, 1.0, OTHER, ZAddArgs.ifExists() }))
			.isTrue();
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { KEY, 1.0, OTHER, ZAddArgs.ifExists().ch() }))
			.isFalse();
		assertThat(execute("ZADD", "key", "1", "member")).isFalse();
		assertThat(execute("ZADD", "key", "XX", "1", "member")).isTrue();
		assertThat(execute("ZADD", "key", "XX", "CH", "1", "member")).isFalse();
		assertThat(execute("ZADD", "key", "XX", "INCR", "1", "member")).isFalse();
		// A member named like an option is not an option.
		assertThat(execute("ZADD", "key", "1", "XX")).isFalse();
	}

	@Test
	void storeShouldBeIdempotentUnlessItsDestinationIsOneOfItsSources() {
		assertThat(isIdempotent(RedisSetCommands.class, "sInterStore", KEY, new byte[][] { OTHER, THIRD })).isTrue();
		assertThat(isIdempotent(RedisSetCommands.class, "sInterStore", KEY, new byte[][] { KEY, OTHER })).isFalse();
		assertThat(isIdempotent(RedisSetCommands.class, "sUnionStore", KEY, new byte[][] { KEY, OTHER })).isFalse();
		assertThat(isIdempotent(RedisStringCommands.class, "bitOp", BitOperation.AND, KEY,
				new byte[][] { OTHER, THIRD }))
			.isTrue();
		assertThat(isIdempotent(RedisStringCommands.class, "bitOp", BitOperation.AND, KEY,
				new byte[][] { KEY, OTHER }))
			.isFalse();
		assertThat(execute("SINTERSTORE", "dest", "a", "b")).isTrue();
		assertThat(execute("SINTERSTORE", "dest", "dest", "b")).isFalse();
		assertThat(execute("BITOP", "OR", "dest", "a", "b")).isTrue();
		assertThat(execute("BITOP", "OR", "dest", "a", "dest")).isFalse();
		assertThat(execute("ZUNIONSTORE", "dest", "2", "a", "dest")).isFalse();
		assertThat(execute("COPY", "a", "b")).as("without REPLACE a repeat answers 0").isFalse();
		assertThat(execute("COPY", "a", "b", "REPLACE")).isTrue();
	}

	/** Reactive calls, with a constant command object unwrapped as the reactive handler does. */
	@Test
	void reactiveCallsShouldBeJudgedLikeImperativeOnes() {
		ByteBuffer key = ByteBuffer.wrap(KEY);
		ByteBuffer other = ByteBuffer.wrap(OTHER);
		assertThat(isIdempotent(ReactiveSetCommands.class, "sAdd", key, other)).isFalse();
		assertThat(isIdempotent(ReactiveSetCommands.class, "sInterStore", key, List.of(other))).isTrue();
		assertThat(isIdempotent(ReactiveSetCommands.class, "sInterStore", key, List.of(ByteBuffer.wrap(KEY), other)))
			.isFalse();
		Method set = method(ReactiveStringCommands.class, "set", Publisher.class);
		assertThat(CommandIdempotency.isIdempotent(set, new Object[] { SetCommand.set(key).value(other) })).isTrue();
		assertThat(CommandIdempotency.isIdempotent(set,
				new Object[] { SetCommand.set(key).value(other).withSetOption(SetOption.SET_IF_ABSENT) }))
			.isFalse();
		Method zAdd = method(ReactiveZSetCommands.class, "zAdd", Publisher.class);
		ZAddCommand add = ZAddCommand.tuple(new DefaultTuple(OTHER, 1.0)).to(key);
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { add })).isFalse();
		assertThat(CommandIdempotency.isIdempotent(zAdd, new Object[] { add.xx() })).isTrue();
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

	private static boolean execute(String command, String... arguments) {
		return CommandIdempotency.isIdempotent(method(RedisCommands.class, "execute", String.class, byte[][].class),
				new Object[] { command, arguments(arguments) });
	}

	/** Calls the one method of that name. */
	private static boolean isIdempotent(Class<?> type, String name, Object... args) {
		Method found = null;
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name) && method.getParameterCount() == args.length) {
				found = method;
			}
		}
		assertThat(found).as(name).isNotNull();
		return CommandIdempotency.isIdempotent(found, args);
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
