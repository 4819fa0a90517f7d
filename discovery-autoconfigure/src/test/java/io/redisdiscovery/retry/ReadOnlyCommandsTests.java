package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisCommands;
import org.springframework.data.redis.connection.RedisGeoCommands;
import org.springframework.data.redis.connection.RedisServerCommands;
import org.springframework.data.redis.connection.RedisSetCommands;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.RedisStringCommands;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads are what Redis flags {@code readonly}, plus keyless commands that only report; everything else holds
 * during a Sentinel switch like a write.
 */
class ReadOnlyCommandsTests {

	@Test
	void commandsFlaggedReadonlyShouldBeReads() {
		assertThat(isReadOnly(RedisStringCommands.class, "get")).isTrue();
		assertThat(isReadOnly(RedisStringCommands.class, "mGet")).isTrue();
		assertThat(isReadOnly(RedisSetCommands.class, "sMembers")).isTrue();
		assertThat(isReadOnly(RedisStreamCommands.class, "xInfoGroups")).isTrue();
		// Spring Data never stores with GEORADIUS: the read-only variant's facts.
		assertThat(isReadOnly(RedisGeoCommands.class, "geoRadius")).isTrue();
		assertThat(execute("GET", "key")).isTrue();
	}

	@Test
	void keylessReportsShouldBeReads() {
		assertThat(isReadOnly(RedisServerCommands.class, "info")).isTrue();
		assertThat(isReadOnly(RedisServerCommands.class, "getConfig")).isTrue();
		assertThat(execute("PING")).isTrue();
		assertThat(execute("CONFIG", "GET", "maxmemory")).isTrue();
		assertThat(execute("CONFIG", "SET", "maxmemory", "0")).isFalse();
	}

	@Test
	void writesAndUnknownCommandsShouldNotBeReads() {
		assertThat(isReadOnly(RedisSetCommands.class, "sAdd")).isFalse();
		assertThat(isReadOnly(RedisStreamCommands.class, "xReadGroup")).isFalse();
		assertThat(execute("PUBLISH", "channel", "message")).isFalse();
		assertThat(execute("EVAL", "return 1", "0")).isFalse();
		assertThat(execute("NOSUCHCOMMAND", "key")).isFalse();
	}

	private static boolean isReadOnly(Class<?> type, String name) {
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name)) {
				return ReadOnlyCommands.isReadOnly(method, null);
			}
		}
		throw new IllegalArgumentException(name);
	}

	private static boolean execute(String command, String... arguments) {
		byte[][] values = new byte[arguments.length][];
		for (int i = 0; i < arguments.length; i++) {
			values[i] = arguments[i].getBytes(StandardCharsets.UTF_8);
		}
		try {
			Method execute = RedisCommands.class.getMethod("execute", String.class, byte[][].class);
			return ReadOnlyCommands.isReadOnly(execute, new Object[] { command, values });
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
