package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redisdiscovery.retry.RedisCommandTable.Facts;
import io.redisdiscovery.retry.RedisCommandTable.Repeat;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * Tells whether sending a Spring Data Redis connection call twice leaves the same data and gives the same reply as
 * sending it once: a command retried after a failure that may have reached the server must do both, or an
 * application that acts on the reply ({@code SADD} answered 1: process the item) loses or repeats work.
 * <p>
 * The facts come from Redis's own {@code COMMAND INFO}, generated into a table (see {@code RedisCommandTable}):
 * <ul>
 * <li>a command flagged {@code readonly} is safe, unless it blocks ({@code XREAD ... BLOCK}: the server may still
 * hold the first read, and a retry would queue a second reader behind it);</li>
 * <li>a write is safe only when each of its key specifications either reads ({@code RO}) or overwrites without
 * reading ({@code OW} with {@code UPDATE}, and neither {@code ACCESS}, {@code INSERT} nor {@code DELETE}), at
 * least one overwrites, and its output is deterministic: the repeat writes the same value, and the reply cannot
 * depend on what the first attempt changed ({@code MSET}, {@code SETEX});</li>
 * <li>such a write that also reads keys ({@code SUNIONSTORE}, {@code BITOP}) is safe only when its destination is
 * not one of the keys it reads;</li>
 * <li>every other command is not safe: a read-modify-write key ({@code RW}: {@code INCR}, {@code SADD},
 * {@code HSET}, {@code XACK}), a removal ({@code RM}: {@code DEL}, {@code UNLINK}) whose reply counts what it
 * removed, an insertion ({@code SETNX}, {@code PFADD}), a blocking command, a command without keys that is not a
 * read ({@code PUBLISH}, {@code WAIT}, scripts), and any command the table does not know.</li>
 * </ul>
 * {@code RepeatOverrides} lists what the metadata cannot express, with its reasons: {@code SET},
 * {@code EXPIRE} and {@code ZADD} are judged by their options ({@code SET ... NX} is not safe, plain {@code SET} is),
 * {@code COPY} and {@code RESTORE} need {@code REPLACE}, and keyless commands that only report ({@code PING},
 * {@code INFO}) are reads. A method is mapped to its command by {@code SpringDataCommandNames}; a raw
 * {@code execute} is judged by its command name and arguments.
 *
 * @since 0.1.0
 */
public final class CommandIdempotency {

	/** Saves mapping the method name on every call, which is on every command's path; "" for no command. */
	private static final Map<Method, String> COMMAND_BY_METHOD = new ConcurrentHashMap<>();

	private static final Facts UNKNOWN = new Facts(false, Repeat.UNSAFE, List.of());

	private CommandIdempotency() {
	}

	/**
	 * Whether the call may be sent twice.
	 * @param method the connection method called
	 * @param args its arguments; a reactive call's constant command objects ({@code Mono.just(command)}) unwrapped
	 * @return {@code true} when a repeat leaves the same data and gives the same reply
	 */
	public static boolean isIdempotent(Method method, @Nullable Object @Nullable [] args) {
		if (method.getName().equals("execute") && args != null && args.length > 0) {
			return isIdempotentCommand(commandName(args[0]), words(args));
		}
		@Nullable Object[] arguments = (args != null) ? args : new Object[0];
		for (Object arg : arguments) {
			if (arg instanceof StreamReadOptions options && options.isBlocking()) {
				return false;
			}
		}
		String command = command(method);
		Facts facts = facts(command, null);
		return switch (facts.repeat()) {
			case UNSAFE -> false;
			case SAFE -> RepeatOverrides.argumentsAllowRepeat(command, method.getName(), arguments);
			case SAFE_UNLESS_DESTINATION_IS_READ -> noKeyRepeated(arguments)
					&& RepeatOverrides.argumentsAllowRepeat(command, method.getName(), arguments);
		};
	}

	/**
	 * Whether the Redis command may be sent twice with these arguments.
	 * @param command the command name, for example {@code SET}
	 * @param arguments its arguments, for example {@code [key, value, NX]}
	 * @return {@code true} when a repeat leaves the same data and gives the same reply
	 */
	public static boolean isIdempotentCommand(String command, List<String> arguments) {
		String name = command.toLowerCase(Locale.ROOT);
		List<String> words = arguments.stream().map((word) -> word.toUpperCase(Locale.ROOT)).toList();
		Facts facts = facts(name, arguments.isEmpty() ? null : arguments.get(0));
		if (facts.readOnly() && BlockingCommandTimeouts.isBlockingCommand(name)) {
			return BlockingCommandTimeouts.blockTime(name, arguments) == null;
		}
		return switch (facts.repeat()) {
			case UNSAFE -> false;
			case SAFE -> RepeatOverrides.wordsAllowRepeat(name, words);
			case SAFE_UNLESS_DESTINATION_IS_READ -> destinationsNotRead(facts.destinations(), arguments)
					&& RepeatOverrides.wordsAllowRepeat(name, words);
		};
	}

	/**
	 * The facts of the command a connection method sends.
	 * @param method the method
	 * @return its facts, those of an unknown command (a write, unsafe) when it sends none
	 */
	static Facts facts(Method method) {
		return facts(command(method), null);
	}

	/**
	 * The facts of a command, or of its sub-command.
	 * @param command the command name, lower case, or {@code ""} for none
	 * @param firstArgument its first argument, naming a sub-command where it is a container
	 * @return its facts, those of an unknown command (a write, unsafe) when the table does not know it
	 */
	static Facts facts(String command, @Nullable String firstArgument) {
		Facts facts = RedisCommandTable.find(command.toLowerCase(Locale.ROOT), firstArgument);
		return (facts != null) ? facts : UNKNOWN;
	}

	private static String command(Method method) {
		return COMMAND_BY_METHOD.computeIfAbsent(method, (key) -> {
			String command = SpringDataCommandNames.commandName(key.getName());
			return (command != null) ? command : "";
		});
	}

	/**
	 * Whether no destination of a raw command is also among its other arguments; compared with every other argument
	 * rather than the keys only, which errs on the safe side.
	 */
	private static boolean destinationsNotRead(List<String> destinations, List<String> arguments) {
		for (String destination : destinations) {
			int position = destinationPosition(destination, arguments);
			if (position == -2) {
				return false;
			}
			if (position >= 0) {
				for (int i = 0; i < arguments.size(); i++) {
					if (i != position && arguments.get(i).equals(arguments.get(position))) {
						return false;
					}
				}
			}
		}
		return true;
	}

	/** The argument index of a destination, -1 when the command has none this time, -2 when it cannot be found. */
	private static int destinationPosition(String destination, List<String> arguments) {
		if (destination.startsWith("index:")) {
			// The table counts the command name as argument 0.
			int position = Integer.parseInt(destination.substring("index:".length())) - 1;
			return (position < arguments.size()) ? position : -1;
		}
		if (destination.startsWith("keyword:")) {
			String keyword = destination.substring("keyword:".length());
			for (int i = 0; i + 1 < arguments.size(); i++) {
				if (arguments.get(i).equalsIgnoreCase(keyword)) {
					return i + 1;
				}
			}
			return -1;
		}
		return -2;
	}

	/**
	 * Whether no key is passed twice to a Spring Data call, so that its destination is not among its sources. The
	 * keys a reactive command object holds are not unpacked: such a call counts as repeating a key.
	 */
	private static boolean noKeyRepeated(@Nullable Object[] args) {
		List<byte[]> keys = new ArrayList<>();
		for (Object arg : args) {
			if (arg instanceof ReactiveRedisConnection.Command) {
				return false;
			}
			addKeys(arg, keys);
		}
		for (int i = 0; i < keys.size(); i++) {
			for (int j = i + 1; j < keys.size(); j++) {
				if (Arrays.equals(keys.get(i), keys.get(j))) {
					return false;
				}
			}
		}
		return true;
	}

	private static void addKeys(@Nullable Object arg, List<byte[]> keys) {
		if (arg instanceof byte[] bytes) {
			keys.add(bytes);
		}
		else if (arg instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			keys.add(bytes);
		}
		else if (arg instanceof byte[][] array) {
			keys.addAll(Arrays.asList(array));
		}
		else if (arg instanceof Collection<?> collection) {
			collection.forEach((element) -> addKeys(element, keys));
		}
	}

	private static List<String> words(@Nullable Object[] args) {
		List<String> words = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			if (args[i] instanceof byte[][] values) {
				for (byte[] value : values) {
					words.add(new String(value, StandardCharsets.UTF_8));
				}
			}
		}
		return words;
	}

	private static String commandName(@Nullable Object arg) {
		if (arg instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(arg);
	}

}
