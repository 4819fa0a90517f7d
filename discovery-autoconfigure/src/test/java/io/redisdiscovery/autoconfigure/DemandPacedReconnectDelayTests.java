package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pace applies only while a retry waits, never lengthens the backoff, and a stateful backoff still counts and
 * resets.
 */
class DemandPacedReconnectDelayTests {

	private static final Duration PACE = Duration.ofMillis(20);

	private final AtomicBoolean demand = new AtomicBoolean();

	private final AtomicBoolean atOnce = new AtomicBoolean();

	/** How often the delay said it returned the backoff of an idle application. */
	private final AtomicInteger idleBackoffs = new AtomicInteger();

	@Test
	void withoutDemandTheBackoffShouldApply() {
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(Delay.constant(Duration.ofSeconds(5)),
				this.demand::get, PACE, this.idleBackoffs::incrementAndGet, this.atOnce::get);
		assertThat(delay.createDelay(7)).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.idleBackoffs).hasValue(1);
	}

	@Test
	void whileARetryWaitsTheDelayShouldBeBetweenThePaceAndTwiceThePace() {
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(Delay.constant(Duration.ofSeconds(5)),
				this.demand::get, PACE, this.idleBackoffs::incrementAndGet, this.atOnce::get);
		this.demand.set(true);
		for (int attempt = 1; attempt < 200; attempt++) {
			assertThat(delay.createDelay(attempt)).isBetween(PACE, PACE.multipliedBy(2));
		}
		assertThat(this.idleBackoffs).hasValue(0);
	}

	@Test
	void pacedAttemptsShouldNotLengthenTheBackoffThatFollows() {
		// A backoff of one millisecond per attempt: its delay shows which attempt it was asked for.
		Delay linear = new Delay() {

			@Override
			public Duration createDelay(long attempt) {
				return Duration.ofMillis(attempt);
			}

		};
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(linear, this.demand::get, PACE,
				this.idleBackoffs::incrementAndGet, this.atOnce::get);
		delay.createDelay(1);
		this.demand.set(true);
		for (int attempt = 2; attempt <= 50; attempt++) {
			delay.createDelay(attempt);
		}
		this.demand.set(false);
		assertThat(delay.createDelay(51)).as("the second attempt made while nobody waits").isEqualTo(Duration.ofMillis(2));
	}

	@Test
	void aReconnectAskedAtOnceShouldHaveNoDelayWhetherOrNotOneWaits() {
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(Delay.constant(Duration.ofSeconds(5)),
				this.demand::get, PACE, this.idleBackoffs::incrementAndGet, this.atOnce::get);
		this.atOnce.set(true);
		assertThat(delay.createDelay(1)).isZero();
		this.demand.set(true);
		assertThat(delay.createDelay(2)).isZero();
		assertThat(this.idleBackoffs).hasValue(0);
	}

	@Test
	void aBackoffShorterThanThePaceShouldBeKept() {
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(Delay.constant(Duration.ofMillis(3)),
				this.demand::get, PACE, this.idleBackoffs::incrementAndGet, this.atOnce::get);
		this.demand.set(true);
		assertThat(delay.createDelay(1)).isEqualTo(Duration.ofMillis(3));
	}

	@Test
	void aStatefulBackoffShouldBeAskedEveryTimeAndReset() {
		CountingDelay backoff = new CountingDelay();
		DemandPacedReconnectDelay delay = new DemandPacedReconnectDelay(backoff, this.demand::get, PACE,
				this.idleBackoffs::incrementAndGet, this.atOnce::get);
		this.demand.set(true);
		delay.createDelay(1);
		delay.createDelay(2);
		assertThat(backoff.asked.get()).isEqualTo(2);
		delay.reset();
		assertThat(backoff.asked.get()).isZero();
	}

	private static final class CountingDelay extends Delay implements Delay.StatefulDelay {

		private final AtomicInteger asked = new AtomicInteger();

		@Override
		public Duration createDelay(long attempt) {
			this.asked.incrementAndGet();
			return Duration.ofSeconds(1);
		}

		@Override
		public void reset() {
			this.asked.set(0);
		}

	}

}
