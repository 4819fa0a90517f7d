package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which waiting commands the silence watch probes for after the quick silence: Redis's own commands on a key, and
 * the keyless ones any server answers at once.
 */
class SilentConnectionWatchTests {

	@Test
	void aRedisCommandOnAKeyShouldBeQuick() {
		assertThat(isQuick(CommandType.GET, args().addKey("user:1"))).isTrue();
		assertThat(isQuick(CommandType.EVAL, args().add("return 1").add(1).addKey("user:1"))).isTrue();
	}

	@Test
	void aCommandWithoutAKeyShouldNotBeQuick() {
		assertThat(isQuick(CommandType.DBSIZE, args())).isFalse();
		assertThat(isQuick(CommandType.EVAL, args().add("return 1").add(0))).isFalse();
		assertThat(isQuick(CommandType.EXEC, args())).isFalse();
	}

	@Test
	void aCommandAnsweredAtOnceWithoutDataShouldBeQuick() {
		assertThat(isQuick(CommandType.PING, args())).isTrue();
		assertThat(isQuick(CommandType.MULTI, args())).isTrue();
	}

	@Test
	void aModuleCommandShouldNotBeQuickEvenWhenLettuceListsIt() {
		assertThat(isQuick(CommandType.JSON_GET, args().addKey("doc:1"))).isFalse();
		ProtocolKeyword search = new ProtocolKeyword() {

			@Override
			public byte[] getBytes() {
				return "FT.SEARCH".getBytes(StandardCharsets.US_ASCII);
			}

			@Override
			public String toString() {
				return "FT.SEARCH";
			}

		};
		assertThat(isQuick(search, args().addKey("idx:docs").add("*"))).isFalse();
	}

	private static CommandArgs<String, String> args() {
		return new CommandArgs<>(StringCodec.UTF8);
	}

	private static boolean isQuick(ProtocolKeyword type, CommandArgs<String, String> args) {
		Command<String, String, String> command = new Command<>(type, new StatusOutput<>(StringCodec.UTF8), args);
		return SilentConnectionWatch.isQuick(command, SilentConnectionWatch.firstKey(command));
	}

}
