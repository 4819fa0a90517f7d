package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * A Lettuce {@link TimeoutOptions.TimeoutSource} that gives a blocking command ({@code BLPOP}, {@code XREAD ... BLOCK},
 * {@code WAIT} ...) its block time plus the command timeout, a command that blocks forever (block time 0) no
 * client-side timeout, and every other command the command timeout.
 * <p>
 * A client-side timeout shorter than the block time does not stop the server: it keeps the cancelled pop waiting,
 * and an element pushed meanwhile is popped into a command nobody reads any more and is lost. Leaving the server the
 * whole block time and then the ordinary command timeout for the reply keeps a dead server detected.
 *
 * @since 0.1.0
 */
public final class BlockingCommandTimeouts extends TimeoutOptions.TimeoutSource {

	/** Block time in seconds (a double) as the last argument. */
	private static final Set<String> LAST_ARGUMENT_SECONDS = Set.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE",
			"BZPOPMIN", "BZPOPMAX");

	/** Block time in seconds (a double) as the first argument. */
	private static final Set<String> FIRST_ARGUMENT_SECONDS = Set.of("BLMPOP", "BZMPOP");

	private static final Set<String> STREAM_READS = Set.of("XREAD", "XREADGROUP");

	/** Lettuce's command types that may block, found once by name ({@link #mayBlock(RedisCommand)}). */
	private static final Set<CommandType> BLOCKING_TYPES = blockingTypes();

	private final long commandTimeoutNanos;

	/**
	 * Creates a timeout source.
	 * @param commandTimeout the timeout of an ordinary command, and the time a blocking command's reply may take
	 * after its block time
	 */
	public BlockingCommandTimeouts(Duration commandTimeout) {
		this.commandTimeoutNanos = commandTimeout.toNanos();
	}

	@Override
	public long getTimeout(@Nullable RedisCommand<?, ?, ?> command) {
		if (command == null || command.getArgs() == null || !mayBlock(command)) {
			return this.commandTimeoutNanos;
		}
		Duration blockTime = blockTime(nameOf(command), arguments(command.getArgs()));
		if (blockTime == null) {
			return this.commandTimeoutNanos;
		}
		// Zero tells Lettuce not to expire the command: the caller asked to wait for as long as it takes.
		return blockTime.isZero() ? 0 : saturatedAdd(blockTime.toNanos(), this.commandTimeoutNanos);
	}

	@Override
	public TimeUnit getTimeUnit() {
		return TimeUnit.NANOSECONDS;
	}

	/**
	 * The name a command is sent with.
	 * @param command a command
	 * @return its name, as Redis reads it ({@code GET}, {@code JSON.GET})
	 */
	static String nameOf(RedisCommand<?, ?, ?> command) {
		return nameOf(command.getType());
	}

	private static String nameOf(ProtocolKeyword type) {
		return new String(type.getBytes(), StandardCharsets.US_ASCII);
	}

	/**
	 * Whether a command may block on the server ({@link #isBlockingCommand(String)}); for one of Lettuce's own types
	 * without building its name, since every command is asked.
	 * @param command a command
	 * @return {@code true} for a blocking command
	 */
	static boolean mayBlock(RedisCommand<?, ?, ?> command) {
		ProtocolKeyword type = command.getType();
		return (type instanceof CommandType known) ? BLOCKING_TYPES.contains(known)
				: isBlockingCommand(nameOf(type));
	}

	private static Set<CommandType> blockingTypes() {
		Set<CommandType> types = EnumSet.noneOf(CommandType.class);
		for (CommandType type : CommandType.values()) {
			if (isBlockingCommand(nameOf(type))) {
				types.add(type);
			}
		}
		return types;
	}

	/**
	 * Whether a command of this name may block on the server, depending on its arguments for {@code XREAD} and
	 * {@code XREADGROUP}.
	 * @param command the command name, in any case
	 * @return {@code true} for a blocking command
	 */
	public static boolean isBlockingCommand(String command) {
		String name = command.toUpperCase(Locale.ROOT);
		return LAST_ARGUMENT_SECONDS.contains(name) || FIRST_ARGUMENT_SECONDS.contains(name)
				|| STREAM_READS.contains(name) || name.equals("WAIT") || name.equals("WAITAOF");
	}

	/**
	 * How long a command blocks on the server at most.
	 * @param command the command name, in any case
	 * @param arguments its arguments after the name, as sent
	 * @return the block time, {@link Duration#ZERO} when it blocks until served, or {@code null} when the command
	 * does not block or its block time is not valid (the server then replies with an error at once)
	 */
	public static @Nullable Duration blockTime(String command, List<String> arguments) {
		String name = command.toUpperCase(Locale.ROOT);
		if (arguments.isEmpty()) {
			return null;
		}
		if (LAST_ARGUMENT_SECONDS.contains(name)) {
			return seconds(arguments.get(arguments.size() - 1));
		}
		if (FIRST_ARGUMENT_SECONDS.contains(name)) {
			return seconds(arguments.get(0));
		}
		if (STREAM_READS.contains(name)) {
			// XREADGROUP starts with GROUP <group> <consumer>, which may be named BLOCK.
			return streamBlockTime(arguments, name.equals("XREADGROUP") ? 3 : 0);
		}
		return switch (name) {
			case "WAIT" -> (arguments.size() > 1) ? milliseconds(arguments.get(1)) : null;
			case "WAITAOF" -> (arguments.size() > 2) ? milliseconds(arguments.get(2)) : null;
			default -> null;
		};
	}

	private static @Nullable Duration streamBlockTime(List<String> arguments, int firstOption) {
		// Options end where STREAMS begins; stream keys and IDs after it may be named anything.
		for (int i = firstOption; i < arguments.size() - 1; i++) {
			String option = arguments.get(i);
			if (option.equalsIgnoreCase("STREAMS")) {
				return null;
			}
			if (option.equalsIgnoreCase("BLOCK")) {
				return milliseconds(arguments.get(i + 1));
			}
		}
		return null;
	}

	private static @Nullable Duration seconds(String value) {
		try {
			double seconds = Double.parseDouble(value);
			if (!(seconds >= 0) || Double.isInfinite(seconds)) {
				return null;
			}
			// Redis rounds a fractional timeout to milliseconds; a huge one is as good as forever.
			double millis = Math.ceil(seconds * 1000);
			return (millis >= Long.MAX_VALUE / 1_000_000) ? Duration.ofNanos(Long.MAX_VALUE)
					: Duration.ofMillis((long) millis);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable Duration milliseconds(String value) {
		try {
			long millis = Long.parseLong(value);
			if (millis < 0) {
				return null;
			}
			return (millis >= Long.MAX_VALUE / 1_000_000) ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofMillis(millis);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (((a ^ sum) & (b ^ sum)) < 0) ? Long.MAX_VALUE : sum;
	}

	/**
	 * The arguments as the server will read them: encoding is the only public view of every argument type (keys and
	 * values go through the codec, doubles through {@link Double#toString(double)}).
	 */
	private static List<String> arguments(CommandArgs<?, ?> args) {
		ByteBuf buffer = Unpooled.buffer();
		try {
			args.encode(buffer);
			return bulkStrings(buffer);
		}
		finally {
			buffer.release();
		}
	}

	private static List<String> bulkStrings(ByteBuf buffer) {
		// Each argument is encoded as a RESP bulk string: $<length>\r\n<bytes>\r\n.
		List<String> arguments = new ArrayList<>();
		while (buffer.isReadable() && buffer.readByte() == '$') {
			int length = 0;
			for (byte digit = buffer.readByte(); digit != '\r'; digit = buffer.readByte()) {
				length = length * 10 + (digit - '0');
			}
			buffer.skipBytes(1);
			arguments.add(buffer.readCharSequence(length, StandardCharsets.UTF_8).toString());
			buffer.skipBytes(2);
		}
		return arguments;
	}

}
