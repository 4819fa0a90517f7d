package io.redisdiscovery.test;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;

/**
 * Counts what the starter's Resilience4j retry does, to tell that an application is riding through an outage.
 */
public final class RetryEvents {

	private RetryEvents() {
	}

	/**
	 * Counts the retries of {@code retry} from now on.
	 * @param retry the starter's retry bean
	 * @return the live count
	 */
	public static AtomicInteger countRetries(Retry retry) {
		AtomicInteger retries = new AtomicInteger();
		retry.getEventPublisher().onRetry((event) -> retries.incrementAndGet());
		return retries;
	}

}
