package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingCommandTimeoutsTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private final BlockingCommandTimeouts timeouts = new BlockingCommandTimeouts(COMMAND_TIMEOUT);

	@Test
	void blockTimeWhenPopShouldBeLastArgumentInSeconds() {
		assertThat(BlockingCommandTimeouts.blockTime("BLPOP", List.of("a", "b", "5"))).isEqualTo(Duration.ofSeconds(5));
		assertThat(BlockingCommandTimeouts.blockTime("brpop", List.of("a", "0.25"))).isEqualTo(Duration.ofMillis(250));
		assertThat(BlockingCommandTimeouts.blockTime("BRPOPLPUSH", List.of("a", "b", "1.5")))
			.isEqualTo(Duration.ofMillis(1500));
		assertThat(BlockingCommandTimeouts.blockTime("BLMOVE", List.of("a", "b", "LEFT", "RIGHT", "3")))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(BlockingCommandTimeouts.blockTime("BZPOPMIN", List.of("z", "7.0"))).isEqualTo(Duration.ofSeconds(7));
		assertThat(BlockingCommandTimeouts.blockTime("BZPOPMAX", List.of("z", "0"))).isZero();
	}

	@Test
	void blockTimeWhenMultiPopShouldBeFirstArgumentInSeconds() {
		assertThat(BlockingCommandTimeouts.blockTime("BLMPOP", List.of("4", "2", "a", "b", "LEFT", "COUNT", "9")))
			.isEqualTo(Duration.ofSeconds(4));
		assertThat(BlockingCommandTimeouts.blockTime("BZMPOP", List.of("0.5", "1", "z", "MIN")))
			.isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void blockTimeWhenStreamReadShouldBeBlockOptionInMilliseconds() {
		assertThat(BlockingCommandTimeouts.blockTime("XREAD", List.of("COUNT", "10", "BLOCK", "4000", "STREAMS", "s",
				"$")))
			.isEqualTo(Duration.ofSeconds(4));
		assertThat(BlockingCommandTimeouts.blockTime("XREADGROUP", List.of("GROUP", "g", "c", "block", "0", "STREAMS",
				"s", ">")))
			.isZero();
	}

	@Test
	void blockTimeWhenStreamReadHasNoBlockOptionShouldBeNull() {
		assertThat(BlockingCommandTimeouts.blockTime("XREAD", List.of("COUNT", "1", "STREAMS", "s", "0"))).isNull();
		// Stream keys, IDs, group and consumer names that read BLOCK are not the option.
		assertThat(BlockingCommandTimeouts.blockTime("XREAD", List.of("STREAMS", "BLOCK", "0"))).isNull();
		assertThat(BlockingCommandTimeouts.blockTime("XREADGROUP", List.of("GROUP", "BLOCK", "BLOCK", "STREAMS", "s",
				">")))
			.isNull();
	}

	@Test
	void blockTimeWhenWaitShouldBeTimeoutInMilliseconds() {
		assertThat(BlockingCommandTimeouts.blockTime("WAIT", List.of("1", "3000"))).isEqualTo(Duration.ofSeconds(3));
		assertThat(BlockingCommandTimeouts.blockTime("WAITAOF", List.of("1", "0", "250")))
			.isEqualTo(Duration.ofMillis(250));
		assertThat(BlockingCommandTimeouts.blockTime("WAIT", List.of("1", "0"))).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "soon", "NaN", "Infinity" })
	void blockTimeWhenNotValidShouldBeNull(String value) {
		// The server answers such a command with an error at once: the command timeout is enough.
		assertThat(BlockingCommandTimeouts.blockTime("BLPOP", List.of("a", value))).isNull();
		assertThat(BlockingCommandTimeouts.blockTime("WAIT", List.of("1", value))).isNull();
	}

	@Test
	void blockTimeWhenNotBlockingShouldBeNull() {
		assertThat(BlockingCommandTimeouts.blockTime("LPOP", List.of("a", "5"))).isNull();
		assertThat(BlockingCommandTimeouts.blockTime("BLPOP", List.of())).isNull();
	}

	@Test
	void getTimeoutWhenOrdinaryCommandShouldBeCommandTimeout() {
		assertThat(timeoutOf(CommandType.GET, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes("5"))))
			.isEqualTo(COMMAND_TIMEOUT);
		assertThat(Duration.ofNanos(this.timeouts.getTimeout(null))).isEqualTo(COMMAND_TIMEOUT);
	}

	@Test
	void getTimeoutWhenBlockingPopShouldAddBlockTimeToCommandTimeout() {
		// As Lettuce's RedisCommandBuilder.blpop(double, keys) builds it.
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKeys(bytes("q"), bytes("r"))
			.add(5.5);
		assertThat(timeoutOf(CommandType.BLPOP, args)).isEqualTo(Duration.ofMillis(7500));
		assertThat(timeoutOf(CommandType.BRPOP, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes("q")).add(5L)))
			.isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void getTimeoutWhenBlockingForeverShouldBeNoTimeout() {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes("q")).add(0L);
		// Lettuce does not expire a command whose timeout is zero or less.
		assertThat(this.timeouts.getTimeout(new Command<>(CommandType.BLPOP, null, args))).isZero();
	}

	@Test
	void getTimeoutWhenStreamReadBlocksShouldAddBlockTimeToCommandTimeout() {
		// As Lettuce's RedisCommandBuilder.xread builds it.
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
		XReadArgs.Builder.block(Duration.ofSeconds(4)).count(10).build(args);
		args.add("STREAMS").addKey(bytes("s")).add("$");
		assertThat(timeoutOf(CommandType.XREAD, args)).isEqualTo(Duration.ofSeconds(6));
		CommandArgs<byte[], byte[]> notBlocking = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("STREAMS")
			.addKey(bytes("s"))
			.add("0");
		assertThat(timeoutOf(CommandType.XREAD, notBlocking)).isEqualTo(COMMAND_TIMEOUT);
	}

	@Test
	void getTimeoutWhenCustomCommandShouldReadItsName() {
		// RedisConnection.execute("BLPOP", ...) sends a command type of its own.
		ProtocolKeyword blpop = new ProtocolKeyword() {

			@Override
			public byte[] getBytes() {
				return bytes("blpop");
			}

			@Override
			public String toString() {
				return "blpop";
			}

		};
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add(bytes("q")).add(bytes("3"));
		assertThat(timeoutOf(blpop, args)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void timeoutOptionsShouldUseTheSourceAndNotTheConnectionTimeout() {
		TimeoutOptions options = TimeoutOptions.builder().timeoutSource(this.timeouts).build();
		assertThat(options.isTimeoutCommands()).isTrue();
		assertThat(options.isApplyConnectionTimeout()).isFalse();
	}

	private Duration timeoutOf(ProtocolKeyword type, CommandArgs<byte[], byte[]> args) {
		return Duration.of(this.timeouts.getTimeout(new Command<>(type, null, args)),
				this.timeouts.getTimeUnit().toChronoUnit());
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
