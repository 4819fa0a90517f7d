package io.redisdiscovery.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProbeBackoff}.
 */
class ProbeBackoffTests {

	private static final long MS = Duration.ofMillis(1).toNanos();

	private final ProbeBackoff backoff = new ProbeBackoff(Duration.ofMillis(30), Duration.ofSeconds(1));

	@Test
	void theFirstProbeShouldStartAtOnce() {
		assertThat(this.backoff.allows(0)).isTrue();
	}

	@Test
	void eachUnansweredProbeShouldDoubleTheWaitUpToTheMax() {
		long now = 1_000 * MS;
		for (long wait : new long[] { 30, 60, 120, 240, 480, 960, 1_000, 1_000 }) {
			this.backoff.unanswered(now);
			assertThat(this.backoff.allows(now + (wait - 1) * MS)).as("before %d ms", wait).isFalse();
			assertThat(this.backoff.allows(now + wait * MS)).as("after %d ms", wait).isTrue();
			// The next probe starts when allowed and gives up at the handshake deadline.
			now += (wait + 200) * MS;
		}
	}

	@Test
	void anAnsweredProbeShouldStartOver() {
		this.backoff.unanswered(0);
		this.backoff.unanswered(300 * MS);
		this.backoff.answered();
		assertThat(this.backoff.allows(300 * MS)).isTrue();
		this.backoff.unanswered(400 * MS);
		assertThat(this.backoff.allows(430 * MS)).isTrue();
	}

	@Test
	void aSilenceLongAfterTheLastWaitRanOutShouldStartOver() {
		long now = 0;
		for (int i = 0; i < 6; i++) {
			this.backoff.unanswered(now);
			now += 2_000 * MS;
		}
		// Each probe came a second or more after its wait had run out: every wait is the first one again.
		assertThat(this.backoff.allows(now - 2_000 * MS + 30 * MS)).isTrue();
	}

}
