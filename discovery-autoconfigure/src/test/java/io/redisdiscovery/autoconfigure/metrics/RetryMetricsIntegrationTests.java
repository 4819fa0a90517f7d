package io.redisdiscovery.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Resilience4j's retry meters count the starter's commands against a real server.
 */
@ExtendWith(RedisLabExtension.class)
class RetryMetricsIntegrationTests {

	@Test
	void commandRetriedAcrossARestartShouldCountAsSuccessfulWithRetry(RedisLab lab) throws Exception {
		RedisServer server = lab.startServer();
		contextRunner(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			redis.opsForValue().set("metered", "1");
			assertThat(calls(registry, "successful_without_retry")).isEqualTo(1);
			AtomicInteger retries = new AtomicInteger();
			context.getBean("redisDiscoveryRetry", Retry.class)
				.getEventPublisher()
				.onRetry((event) -> retries.incrementAndGet());
			server.kill();
			// Restarted only once the command below has failed and waits for its next attempt.
			Thread restarter = new Thread(() -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> retries.get() >= 1);
				server.restart();
			});
			restarter.start();
			redis.opsForValue().get("metered");
			restarter.join();
			assertThat(calls(registry, "successful_with_retry")).isEqualTo(1);
			assertThat(calls(registry, "successful_without_retry")).isEqualTo(1);
			assertThat(calls(registry, "failed_with_retry") + calls(registry, "failed_without_retry")).isZero();
		});
	}

	@Test
	void commandFailingWithWrongTypeShouldCountAsFailedWithoutRetry(RedisLab lab) {
		RedisServer server = lab.startServer();
		contextRunner(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			redis.opsForList().leftPush("a-list", "1");
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> redis.opsForValue().get("a-list"))
				.havingRootCause()
				.withMessageContaining("WRONGTYPE");
			assertThat(calls(registry, "failed_without_retry")).isEqualTo(1);
			assertThat(calls(registry, "successful_without_retry")).isEqualTo(1);
			assertThat(calls(registry, "successful_with_retry") + calls(registry, "failed_with_retry")).isZero();
		});
	}

	@Test
	void reactiveCommandFailingWithWrongTypeShouldCountAsFailedWithoutRetry(RedisLab lab) {
		RedisServer server = lab.startServer();
		contextRunner(server.port()).withConfiguration(AutoConfigurations.of(DataRedisReactiveAutoConfiguration.class))
			.run((context) -> {
				ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				redis.opsForList().leftPush("a-list", "1").block(Duration.ofSeconds(10));
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> redis.opsForValue().get("a-list").block(Duration.ofSeconds(10)))
					.havingRootCause()
					.withMessageContaining("WRONGTYPE");
				assertThat(calls(registry, "failed_without_retry")).isEqualTo(1);
				assertThat(calls(registry, "successful_without_retry")).isEqualTo(1);
				assertThat(calls(registry, "successful_with_retry") + calls(registry, "failed_with_retry")).isZero();
			});
	}

	private static double calls(MeterRegistry registry, String kind) {
		return registry.get("resilience4j.retry.calls")
			.tag("name", "redis-discovery")
			.tag("kind", kind)
			.functionCounter()
			.count();
	}

	private static ApplicationContextRunner contextRunner(int port) {
		return DiscoveryContextRunners.withStarter(port)
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, RedisDiscoveryMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			// A budget that outlasts a restart of the server.
			.withPropertyValues("redis.discovery.retry.max-attempts=30", "redis.discovery.retry.jitter=0");
	}

}
