package io.redisdiscovery.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.sentinel.SentinelMasterUnavailableException;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code redis.discovery.startup} against real and absent Redis servers.
 */
@ExtendWith(RedisLabExtension.class)
class StartupBehaviorIntegrationTests {

	private static final String PASSWORD = "s3cret-Startup-Pw";

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void runWhenFailFastAndRedisIsDownShouldFailNamingEndpointAndLazyOption() throws IOException {
		int port = closedPort();
		this.contextRunner
			.withPropertyValues("redis.discovery.startup=fail-fast", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + port, "redis.discovery.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new RedisUnavailableAtStartupFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("standalone mode")
					.contains("127.0.0.1:" + port)
					.doesNotContain(PASSWORD);
				assertThat(analysis.getAction()).contains("'redis.discovery.standalone.*'")
					.contains("'redis.discovery.startup=lazy'");
			});
	}

	@Test
	void runWhenLazyAndRedisIsDownShouldStart() throws IOException {
		this.contextRunner
			.withPropertyValues("redis.discovery.startup=lazy", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + closedPort())
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWhenFailFastAndRedisIsUpShouldStartAndServe(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		this.contextRunner
			.withPropertyValues("redis.discovery.startup=fail-fast", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + server.port(), "redis.discovery.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("started", "yes");
				assertThat(server.command("GET", "started")).isEqualTo("yes");
			});
	}

	@Test
	void runWhenFailFastAndPasswordIsWrongShouldFailWithoutShowingPasswords(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
		this.contextRunner
			.withPropertyValues("redis.discovery.startup=fail-fast", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + server.port(), "redis.discovery.password=wr0ng-Startup-Pw")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new RedisUnavailableAtStartupFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).doesNotContain("wr0ng-Startup-Pw").doesNotContain(PASSWORD);
			});
	}

	@Test
	void runWhenFailFastShouldOverrideSentinelDefaultOfStartingAnyway() throws IOException {
		this.contextRunner
			.withPropertyValues("redis.discovery.startup=fail-fast", "redis.discovery.sentinel.master=mymaster",
					"redis.discovery.sentinel.nodes=127.0.0.1:" + closedPort())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(SentinelMasterUnavailableException.class));
	}

	@Test
	void runWhenNoStartupSettingAndSentinelsAreDownShouldStartAsBefore() throws IOException {
		this.contextRunner
			.withPropertyValues("redis.discovery.sentinel.master=mymaster",
					"redis.discovery.sentinel.nodes=127.0.0.1:" + closedPort())
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
