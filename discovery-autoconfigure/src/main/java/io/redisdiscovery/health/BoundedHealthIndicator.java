package io.redisdiscovery.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Answers for another health indicator within a time bound: a check that has not answered by then reports DOWN, and
 * the next call waits for the same check instead of starting one more, so slow checks never pile up.
 * <p>
 * The starter puts Spring Boot's {@code redis} indicator behind it: against a frozen server that indicator would
 * otherwise take a command timeout per call, and the probes of a platform expect an answer sooner.
 *
 * @since 0.1.0
 */
public class BoundedHealthIndicator implements HealthIndicator, DisposableBean {

	private final HealthIndicator delegate;

	private final Duration timeout;

	private final ExecutorService executor;

	private @Nullable CompletableFuture<Health> running;

	/**
	 * Creates an indicator.
	 * @param name names the checking thread
	 * @param delegate the indicator to ask
	 * @param timeout the longest wait for its answer
	 */
	public BoundedHealthIndicator(String name, HealthIndicator delegate, Duration timeout) {
		this.delegate = delegate;
		this.timeout = timeout;
		this.executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public Health health(boolean includeDetails) {
		try {
			return check(includeDetails).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return Health.down().withDetail("error", "No answer within " + this.timeout).build();
		}
		catch (ExecutionException ex) {
			return Health.down(ex.getCause() instanceof Exception cause ? cause : ex).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().withDetail("error", "Interrupted").build();
		}
	}

	@Override
	public Health health() {
		return health(true);
	}

	private synchronized CompletableFuture<Health> check(boolean includeDetails) {
		if (this.running == null || this.running.isDone()) {
			this.running = CompletableFuture.supplyAsync(() -> this.delegate.health(includeDetails), this.executor);
		}
		return this.running;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
