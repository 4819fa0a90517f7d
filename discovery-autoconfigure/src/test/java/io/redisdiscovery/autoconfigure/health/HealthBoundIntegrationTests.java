package io.redisdiscovery.autoconfigure.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.health.BoundedHealthIndicator;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both health indicators on the starter's factory, Spring Boot's {@code redis} and the starter's
 * {@code redisDiscovery}, answer within {@code redis.discovery.health.timeout} while Redis is down or frozen; the
 * starter's retry (minutes of riding through an outage with these settings) never holds them up.
 */
@ExtendWith(RedisLabExtension.class)
class HealthBoundIntegrationTests {

	private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

	/** The bound plus room for a busy machine: far below what the retry and command timeouts would take. */
	private static final Duration ANSWER_WITHIN = HEALTH_TIMEOUT.plusSeconds(3);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class,
				RedisDiscoveryHealthContributorAutoConfiguration.class,
				BoundedRedisHealthContributorAutoConfiguration.class, DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, DataRedisHealthContributorAutoConfiguration.class,
				DataRedisReactiveHealthContributorAutoConfiguration.class))
		.withPropertyValues("redis.discovery.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms",
				"redis.discovery.timeout.command=5s", "redis.discovery.retry.max-attempts=50",
				"redis.discovery.retry.max-wait-duration=5s");

	@Test
	void springBootsRedisIndicatorShouldBeTheBoundedOneWithoutRetry(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server).run((context) -> {
			assertThat(context.getBean("redisHealthContributor")).isInstanceOf(BoundedHealthIndicator.class);
			assertThat(answer(indicator(context, "redisHealthContributor")).getStatus()).isEqualTo(Status.UP);
			assertThat(answer(indicator(context, "redisDiscoveryHealthIndicator")).getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void indicatorsShouldReportDownWithinTheirBoundWhileRedisIsDownAndUpOnceRestarted(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server).run((context) -> {
			answer(indicator(context, "redisHealthContributor"));
			server.kill();
			assertThat(answer(indicator(context, "redisHealthContributor")).getStatus()).isEqualTo(Status.DOWN);
			assertThat(answer(indicator(context, "redisDiscoveryHealthIndicator")).getStatus())
				.isEqualTo(Status.DOWN);
			server.restart();
			await()
				.atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(answer(indicator(context, "redisHealthContributor")).getStatus())
					.isEqualTo(Status.UP));
		});
	}

	@Test
	void indicatorsShouldReportDownWithinTheirBoundWhileRedisIsFrozen(RedisLab lab) {
		RedisServer server = lab.startServer();
		standalone(server).run((context) -> {
			answer(indicator(context, "redisHealthContributor"));
			server.freeze();
			try {
				assertThat(answer(indicator(context, "redisHealthContributor")).getStatus()).isEqualTo(Status.DOWN);
				// The starter's indicator answers with the last known topology, marked stale, when the probe is late.
				assertThat(answer(indicator(context, "redisDiscoveryHealthIndicator")).getDetails())
					.containsEntry("stale", true);
			}
			finally {
				server.thaw();
			}
		});
	}

	private ApplicationContextRunner standalone(RedisServer server) {
		return this.contextRunner.withPropertyValues("redis.discovery.mode=standalone",
				"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + server.port());
	}

	private static HealthIndicator indicator(AssertableApplicationContext context, String name) {
		return context.getBean(name, HealthIndicator.class);
	}

	/** The indicator's answer, failing the test when it does not come within {@link #ANSWER_WITHIN}. */
	private static Health answer(HealthIndicator indicator) throws Exception {
		return CompletableFuture.supplyAsync(indicator::health).get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
	}

}
