package io.redisdiscovery.retry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Checks that one operation never retries beyond its configured budget: attempts and waits.
 */
class RetryBudgetTests {

	private static final int SAMPLES = 2_000;

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void defaultWaitsShouldStayWithinTheDocumentedBudget() {
		this.contextRunner.run((context) -> {
			Retry retry = context.getBean("redisDiscoveryRetry", Retry.class);
			// docs/reliability.md: 150 + 300 + 600 + 1200 ms, then the 2 s cap for the remaining 5 waits of 10 attempts.
			assertThat(longestTotalWait(retry)).isLessThanOrEqualTo(Duration.ofMillis(12_250));
		});
	}

	@Test
	void jitteredWaitShouldNeverExceedMaxWaitDuration() {
		this.contextRunner
			.withPropertyValues("redis.discovery.retry.max-attempts=6", "redis.discovery.retry.wait-duration=400ms",
					"redis.discovery.retry.max-wait-duration=500ms", "redis.discovery.retry.jitter=0.9")
			.run((context) -> assertThat(longestTotalWait(context.getBean("redisDiscoveryRetry", Retry.class)))
				.isLessThanOrEqualTo(Duration.ofMillis(5 * 500)));
	}

	@Test
	void failingOperationShouldMakeExactlyMaxAttempts() throws Exception {
		// Counts the attempts that reach the network, not only the retry events: a loop that tried once more
		// outside Resilience4j would show here.
		try (ServerSocket hangUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			AtomicInteger dialed = new AtomicInteger();
			Thread acceptor = new Thread(() -> {
				while (!hangUp.isClosed()) {
					try (Socket socket = hangUp.accept()) {
						dialed.incrementAndGet();
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "hang-up");
			acceptor.setDaemon(true);
			acceptor.start();
			this.contextRunner
				.withPropertyValues("redis.discovery.standalone.host=127.0.0.1",
						"redis.discovery.standalone.port=" + hangUp.getLocalPort(),
						"redis.discovery.retry.max-attempts=4", "redis.discovery.retry.wait-duration=10ms",
						// A dial still open after a tenth of the shorter timeout is raced by a second one, within the
						// same attempt: 1 s here, so that the first dial of a cold JVM (~400 ms) is not raced.
						"redis.discovery.timeout.connect=10s", "redis.discovery.timeout.command=10s")
				.run((context) -> {
					AtomicInteger retries = new AtomicInteger();
					context.getBean("redisDiscoveryRetry", Retry.class)
						.getEventPublisher()
						.onRetry((event) -> retries.incrementAndGet());
					StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
					assertThatExceptionOfType(DataAccessException.class)
						.isThrownBy(() -> redis.opsForValue().get("k"));
					assertThat(retries).hasValue(3);
					assertThat(dialed).as("connections dialed").hasValue(4);
				});
			hangUp.close();
			acceptor.join(Duration.ofSeconds(5).toMillis());
		}
	}

	private static Duration longestTotalWait(Retry retry) {
		IntervalBiFunction<Object> interval = retry.getRetryConfig().getIntervalBiFunction();
		long total = 0;
		for (int attempt = 1; attempt < retry.getRetryConfig().getMaxAttempts(); attempt++) {
			long longest = 0;
			for (int i = 0; i < SAMPLES; i++) {
				longest = Math.max(longest, interval.apply(attempt, Either.left(new IllegalStateException())));
			}
			total += longest;
		}
		return Duration.ofMillis(total);
	}

}
