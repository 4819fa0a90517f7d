package io.redisdiscovery.lab;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for standalone {@link RedisServer}s started by {@link RedisLab}.
 */
@ExtendWith(RedisLabExtension.class)
class StandaloneServerTests {

	private static RedisLab lab;

	@BeforeAll
	static void setUp(RedisLab redisLab) {
		lab = redisLab;
	}

	@Test
	void startsOnAFreeLoopbackPortAndDecodesReplies() {
		RedisServer server = lab.startServer();

		assertThat(server.host()).isEqualTo("127.0.0.1");
		assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + server.port());
		assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
		assertThat(server.isAlive()).isTrue();
		assertThat(LabProcesses.isRunning(server.pid())).isTrue();
		assertThat(server.role()).isEqualTo("master");
		assertThat(server.command("SET", "greeting", "hello")).isEqualTo("OK");
		assertThat(server.command("GET", "greeting")).isEqualTo("hello");
		assertThat(server.command("GET", "missing")).isNull();
		assertThat(server.command("INCR", "counter")).isEqualTo(1L);
		assertThat(server.command("RPUSH", "list", "a", "b")).isEqualTo(2L);
		assertThat(server.command("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b"));
		assertThat(server.infoValue("server", "tcp_port")).isEqualTo(String.valueOf(server.port()));
		assertThat(server.info("server")).contains("redis_version:" + lab.binary().version());
	}

	@Test
	void errorRepliesThrowWithTheServerMessage() {
		RedisServer server = lab.startServer();

		assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> server.command("NOSUCHCOMMAND"))
			.withMessageStartingWith("ERR unknown command");
		assertThat(server.command("PING")).isEqualTo("PONG");
	}

	@Test
	void killedAndRestartedServerWithPersistenceKeepsAcknowledgedWrites() {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		for (int i = 0; i < 100; i++) {
			server.command("SET", "key:" + i, "value:" + i);
		}
		long pidBefore = server.pid();
		int portBefore = server.port();

		server.kill();
		assertThat(server.isAlive()).isFalse();
		assertThat(LabProcesses.isRunning(pidBefore)).isFalse();
		server.restart();

		assertThat(server.pid()).isNotEqualTo(pidBefore);
		assertThat(server.port()).isEqualTo(portBefore);
		assertThat(server.command("DBSIZE")).isEqualTo(100L);
		assertThat(server.command("GET", "key:99")).isEqualTo("value:99");
	}

	@Test
	void stopIsGracefulAndRestartAnswersAgain() {
		RedisServer server = lab.startServer();
		long pidBefore = server.pid();

		server.stop();
		assertThat(server.isAlive()).isFalse();
		assertThat(server.logTail(50)).anyMatch((line) -> line.contains("ready to exit"));
		server.restart();

		assertThat(server.pid()).isNotEqualTo(pidBefore);
		assertThat(server.command("PING")).isEqualTo("PONG");
	}

	@Test
	void frozenServerAcceptsButNeverAnswersUntilThawedAndStillStops() {
		RedisServer server = lab.startServer();
		server.freeze();
		try (RespClient client = RespClient.connect(server.address(), Duration.ofMillis(300))) {
			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> client.call("PING"))
				.withRootCauseInstanceOf(SocketTimeoutException.class);
		}
		server.thaw();
		assertThat(server.command("PING")).isEqualTo("PONG");
		server.freeze();
		server.stop();
		assertThat(server.isAlive()).isFalse();
	}

	@Test
	void passwordAndAclUserAreEnforced() {
		RedisServer server = lab
			.startServer(RedisServerOptions.defaults().withPassword("s3cret").withAclUser("app", "app-pass"));

		assertThatExceptionOfType(RedisLabException.class)
			.isThrownBy(() -> RespClient.call(server.address(), Duration.ofSeconds(2), "GET", "x"))
			.withMessageStartingWith("NOAUTH");
		assertThat(server.command("SET", "x", "1")).isEqualTo("OK");
		try (RespClient client = RespClient.connect(server.address(), Duration.ofSeconds(2))) {
			client.auth("app", "app-pass");
			assertThat(client.call("GET", "x")).isEqualTo("1");
			assertThat(client.call("ACL", "WHOAMI")).isEqualTo("app");
		}
	}

	@Test
	void bindsToAnotherLoopbackAddressAndAppliesExtraConfig() {
		RedisServer server = lab
			.startServer(RedisServerOptions.defaults().withBindHost("127.0.0.2").withConfig("maxmemory 10mb"));

		assertThat(server.hostAndPort()).isEqualTo("127.0.0.2:" + server.port());
		assertThat(server.command("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10485760"));
		assertThat(server.command("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.2"));
	}

	@Test
	void aServerThatCannotStartReportsTheEndOfItsLog() {
		assertThatExceptionOfType(RedisLabException.class)
			.isThrownBy(() -> lab.startServer(RedisServerOptions.defaults().withConfig("no-such-directive yes")))
			.withMessageContaining("exited with code")
			.withMessageContaining("no-such-directive");
	}

}
