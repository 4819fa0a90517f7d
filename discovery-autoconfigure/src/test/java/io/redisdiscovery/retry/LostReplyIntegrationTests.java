package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A write whose reply tells the application what to do ({@code SADD seen id} answered 1: process the item) is not
 * retried once it may have been applied: the retry would answer 0, and the item would be dropped as already seen.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(60)
class LostReplyIntegrationTests {

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void saddWhoseReplyIsLateShouldFailRatherThanBeRetried(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + proxy.port(), "redis.discovery.timeout.command=300ms")
			// The link is slow, not dead: the silence watch would replace the connection, and the proxy drop the
			// SADD it still holds.
			.withPropertyValues(DiscoveryContextRunners.userWithoutDel(server))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForSet().add("warm-up", "x");
				AtomicInteger retries = new AtomicInteger();
				context.getBean("redisDiscoveryRetry", Retry.class)
					.getEventPublisher()
					.onRetry((event) -> retries.incrementAndGet());
				// The server applies the SADD, but its reply arrives after the command timeout. A retry would find
				// the link fast again (the healer) and answer 0.
				proxy.setLatency(Duration.ofMillis(600));
				Thread healer = new Thread(() -> {
					await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(900)).until(() -> true);
					proxy.setLatency(Duration.ZERO);
				});
				healer.start();
				assertThatExceptionOfType(DataAccessException.class)
					.as("the application is told that the SADD may or may not have been applied")
					.isThrownBy(() -> redis.opsForSet().add("seen", "id-1"));
				healer.join();
				assertThat(retries).as("retries of the SADD").hasValue(0);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(server.command("SMISMEMBER", "seen", "id-1"))
						.as("the first attempt was applied")
						.isEqualTo(List.of(1L)));
				assertThat(server.command("SCARD", "seen")).isEqualTo(1L);
			});
	}

}
