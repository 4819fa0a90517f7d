package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryPacerTests {

	private final AtomicLong now = new AtomicLong(5_000_000_000L);

	private final DiscoveryPacer pacer = new DiscoveryPacer(Duration.ofSeconds(1), this.now::get);

	@Test
	void delayShouldBeZeroBeforeTheFirstDiscovery() {
		assertThat(this.pacer.delayNanos()).isZero();
	}

	@Test
	void delayShouldLastUntilTheMinimumIntervalSinceTheLastStartHasPassed() {
		this.pacer.discoveryStarted();
		assertThat(this.pacer.delayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
		this.now.addAndGet(Duration.ofMillis(300).toNanos());
		assertThat(this.pacer.delayNanos()).isEqualTo(Duration.ofMillis(700).toNanos());
		this.now.addAndGet(Duration.ofMillis(700).toNanos());
		assertThat(this.pacer.delayNanos()).isZero();
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.pacer.delayNanos()).isZero();
	}

	@Test
	void everyDiscoveryShouldRestartTheInterval() {
		this.pacer.discoveryStarted();
		this.now.addAndGet(Duration.ofMillis(900).toNanos());
		this.pacer.discoveryStarted();
		assertThat(this.pacer.delayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
	}

}
