package io.redisdiscovery.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bound around another indicator, against a delegate the test holds; Spring Boot's {@code redis} indicator
 * behind it against a frozen server is covered by {@code HealthBoundIntegrationTests}.
 */
class BoundedHealthIndicatorTests {

	private BoundedHealthIndicator indicator;

	@AfterEach
	void destroy() {
		if (this.indicator != null) {
			this.indicator.destroy();
		}
	}

	@Test
	void healthShouldBeTheDelegatesWhenItAnswersInTime() {
		this.indicator = new BoundedHealthIndicator("test-health", () -> Health.up().withDetail("version", "8").build(),
				Duration.ofSeconds(5));

		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("version", "8");
	}

	@Test
	void healthShouldBeDownWithTheFailureWhenTheDelegateThrows() {
		this.indicator = new BoundedHealthIndicator("test-health", () -> {
			throw new IllegalStateException("frozen");
		}, Duration.ofSeconds(5));

		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error")).asString().contains("frozen");
	}

	@Test
	void slowDelegateShouldBeDownWithinTheBoundAndNotAskedAgainWhileItRuns() {
		CompletableFuture<Void> gate = new CompletableFuture<>();
		AtomicInteger checks = new AtomicInteger();
		HealthIndicator slow = () -> {
			checks.incrementAndGet();
			gate.join();
			return Health.up().build();
		};
		this.indicator = new BoundedHealthIndicator("test-health", slow, Duration.ofMillis(50));
		try {
			Health first = this.indicator.health(true);
			for (int i = 0; i < 4; i++) {
				assertThat(this.indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
			}

			assertThat(first.getStatus()).isEqualTo(Status.DOWN);
			assertThat(first.getDetails()).containsEntry("error", "No answer within PT0.05S");
			assertThat(checks).hasValue(1);
			gate.complete(null);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Status.UP.equals(this.indicator.health(true).getStatus()));
			// The four later calls joined the running check; queued checks would all have run once the gate opened.
			assertThat(checks).hasValueLessThan(5);
		}
		finally {
			gate.complete(null);
		}
	}

}
