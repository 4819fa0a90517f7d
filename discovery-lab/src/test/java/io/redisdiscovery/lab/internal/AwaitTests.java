package io.redisdiscovery.lab.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.redisdiscovery.lab.RedisLabException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Await}.
 */
class AwaitTests {

	@Test
	void returnsTheFirstSuccessfulResult() {
		AtomicInteger polls = new AtomicInteger();

		String result = Await.until("the third poll", Duration.ofSeconds(5), () -> {
			if (polls.incrementAndGet() < 3) {
				throw Await.notYet("poll " + polls.get());
			}
			return "done";
		});

		assertThat(result).isEqualTo("done");
		assertThat(polls).hasValue(3);
	}

	@Test
	void timesOutWithWhatItWaitedForAndTheLastReason() {
		assertThatExceptionOfType(RedisLabException.class)
			.isThrownBy(() -> Await.until("the impossible", Duration.ofMillis(100), () -> {
				throw Await.notYet("still impossible");
			}))
			.withMessageContaining("Timed out after 100 ms waiting for the impossible")
			.withMessageContaining("still impossible");
	}

	@Test
	void abortFailsAtOnce() {
		AtomicInteger polls = new AtomicInteger();

		assertThatExceptionOfType(Await.Abort.class)
			.isThrownBy(() -> Await.until("a dead process", Duration.ofSeconds(30), () -> {
				polls.incrementAndGet();
				throw Await.abort("process exited");
			}))
			.withMessage("process exited");
		assertThat(polls).hasValue(1);
	}

}
