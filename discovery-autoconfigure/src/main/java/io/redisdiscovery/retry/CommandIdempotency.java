package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * Tells whether sending a Spring Data Redis connection call twice has the same effect as sending it once.
 * <p>
 * A deny-list: commands whose repetition changes data or the reply ({@code INCR}, {@code LPUSH}, {@code SETNX},
 * pops, scripts, {@code PUBLISH} ...) are not idempotent, nor are reads that block ({@code XREAD ... BLOCK},
 * {@code WAIT}); everything else (reads, {@code SET}, {@code HSET}, {@code DEL}, {@code EXPIRE} ...) is.
 *
 * @since 0.1.0
 */
public final class CommandIdempotency {

	private static final Set<String> NOT_IDEMPOTENT = Set.of("incr", "incrby", "incrbyfloat", "decr", "decrby",
			"hincrby", "hincrbyfloat", "zincrby", "append", "setnx", "hsetnx", "msetnx", "getset", "getdel", "getex",
			"hgetdel", "hgetex", "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "blpop", "brpop", "rpoplpush",
			"brpoplpush", "lmove", "blmove", "lmpop", "blmpop", "linsert", "lrem", "spop", "smove", "zpopmin",
			"zpopmax", "bzpopmin", "bzpopmax", "zmpop", "bzmpop", "xadd", "xclaim", "xautoclaim", "xreadgroup",
			"eval", "evalsha", "fcall", "publish", "spublish", "rename", "renamenx", "move", "copy", "restore",
			"bitfield", "setget", "exec");

	/** Saves lower-casing the method name on every call, which is on every command's path. */
	private static final Map<Method, Boolean> IDEMPOTENT_BY_METHOD = new ConcurrentHashMap<>();

	private CommandIdempotency() {
	}

	/**
	 * Whether the call may be sent twice.
	 * @param method the connection method called
	 * @param args its arguments
	 * @return {@code true} when a repeat has the same effect
	 */
	public static boolean isIdempotent(Method method, @Nullable Object @Nullable [] args) {
		String name = method.getName();
		if (name.equals("execute") && args != null && args.length > 0) {
			String command = commandName(args[0]);
			return isIdempotentCommand(command) && !isBlocking(command, args);
		}
		if (args != null) {
			for (Object arg : args) {
				// XREAD ... BLOCK: after a timeout the server may still hold the read, and a retry would queue a
				// second reader behind it.
				if (arg instanceof StreamReadOptions options && options.isBlocking()) {
					return false;
				}
			}
		}
		if (name.equals("set") && args != null) {
			// SET with NX or XX answers differently the second time.
			for (Object arg : args) {
				if (arg instanceof SetOption option && option != SetOption.UPSERT) {
					return false;
				}
			}
		}
		return IDEMPOTENT_BY_METHOD.computeIfAbsent(method, (key) -> isIdempotentCommand(key.getName()));
	}

	/**
	 * Whether the Redis command of this name may be sent twice.
	 * @param command the command name, for example {@code INCR}
	 * @return {@code true} when a repeat has the same effect
	 */
	public static boolean isIdempotentCommand(String command) {
		return !NOT_IDEMPOTENT.contains(command.toLowerCase(Locale.ROOT));
	}

	private static boolean isBlocking(String command, @Nullable Object[] args) {
		if (!BlockingCommandTimeouts.isBlockingCommand(command)) {
			return false;
		}
		List<String> arguments = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			if (args[i] instanceof byte[][] values) {
				for (byte[] value : values) {
					arguments.add(new String(value, StandardCharsets.UTF_8));
				}
			}
		}
		return BlockingCommandTimeouts.blockTime(command, arguments) != null;
	}

	private static String commandName(@Nullable Object arg) {
		if (arg instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(arg);
	}

}
