package io.redisdiscovery.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.SocketOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keepalive time reaches the kernel: read back from the socket's own timer with {@code ss}, for the starter and,
 * side by side, for Spring Boot's factory (no keepalive with Lettuce 6, Lettuce's own 13 s with Lettuce 7). A peer that dies without a reset cannot be simulated
 * on loopback (the kernel answers the probes of a stopped process), so this checks the setting where it acts.
 */
@ExtendWith(RedisLabExtension.class)
class KeepAliveIntegrationTests {

	private static final Pattern KEEPALIVE_TIMER = Pattern
		.compile("timer:\\(keepalive,(?:(\\d+)min)?(?:(\\d+)(?:\\.\\d+)?sec)?");

	@Test
	void connectionsShouldProbeAnIdlePeerAfterTheKeepAliveTime(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port())
			.withPropertyValues("redis.discovery.timeout.keep-alive=7s")
			.run((context) -> assertThat(keepAliveSeconds(clientPort(context))).isBetween(0L, 7L));
		// Lettuce 6 (Spring Boot 4.0) sends no keepalive; Lettuce 7 (Spring Boot 4.1) does, after its own 13 s.
		DiscoveryContextRunners.withSpringBoot(server.port()).run((context) -> {
			if (SocketOptions.DEFAULT_SO_KEEPALIVE) {
				assertThat(keepAliveSeconds(clientPort(context))).isBetween(8L, 13L);
			}
			else {
				assertThat(socketState(clientPort(context))).doesNotContain("keepalive");
			}
		});
	}

	/** The local port of the shared connection, as the server sees it. */
	private static int clientPort(AssertableApplicationContext context) {
		StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
		Object reply = redis.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT",
				"INFO".getBytes(StandardCharsets.UTF_8)));
		String info = (reply instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
		Matcher address = Pattern.compile("\\baddr=[^ ]*:(\\d+)\\b").matcher(info);
		assertThat(address.find()).as("CLIENT INFO names the client's address: %s", info).isTrue();
		return Integer.parseInt(address.group(1));
	}

	private static long keepAliveSeconds(int localPort) {
		String state = socketState(localPort);
		Matcher timer = KEEPALIVE_TIMER.matcher(state);
		assertThat(timer.find()).as("keepalive timer in: %s", state).isTrue();
		long minutes = (timer.group(1) != null) ? Long.parseLong(timer.group(1)) : 0;
		long seconds = (timer.group(2) != null) ? Long.parseLong(timer.group(2)) : 0;
		return minutes * 60 + seconds;
	}

	/** What {@code ss} says of the established socket with that local port, timers included. */
	private static String socketState(int localPort) {
		try {
			Process ss = new ProcessBuilder(
					List.of("ss", "-tnoH", "state", "established", "( sport = :" + localPort + " )"))
				.redirectErrorStream(true)
				.start();
			String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(output).as("ss lists the socket of local port %d", localPort).contains(":" + localPort);
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("'ss' (iproute2) is needed to read socket timers", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
