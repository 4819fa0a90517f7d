package io.redisdiscovery.sentinel;

import java.time.Duration;

import io.redisdiscovery.topology.RedisNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverTrackerTests {

	private static final RedisNode S1 = new RedisNode("127.0.0.1", 26001);

	private static final RedisNode S2 = new RedisNode("127.0.0.1", 26002);

	private static final RedisNode A = new RedisNode("127.0.0.1", 7001);

	private final FailoverWriteGuard writeGuard = new FailoverWriteGuard(true, Duration.ofMinutes(1),
			Duration.ofSeconds(1), 0, Duration.ofMillis(100));

	private final SentinelStateHolder state = new SentinelStateHolder();

	private final FailoverTracker tracker = new FailoverTracker("mymaster", this.writeGuard, this.state);

	@Test
	void startedByShouldRecordTheMasterAtStartAndHoldWrites() {
		this.state.update((state) -> state.discovered(A, 1L, 0));
		this.tracker.startedBy(S1, "+try-failover");
		assertThat(this.writeGuard.isHoldingWrites()).isTrue();
		assertThat(this.tracker.masterAtStart()).isEqualTo(A);
		assertThat(this.tracker.isInProgress()).isTrue();
	}

	@Test
	void givenUpByShouldTellWhenNoSentinelReportsTheFailoverAnyMore() {
		this.tracker.startedBy(S1, "+try-failover");
		this.tracker.startedBy(S2, "+try-failover");
		assertThat(this.tracker.givenUpBy(S1)).isFalse();
		assertThat(this.tracker.givenUpBy(S2)).isTrue();
		// Writes stay held until the source has looked for the master and ends the failover.
		assertThat(this.writeGuard.isHoldingWrites()).isTrue();
	}

	@Test
	void endShouldForgetTheFailoverAndReleaseWrites() {
		this.state.update((state) -> state.discovered(A, 1L, 0));
		this.tracker.startedBy(S1, "+try-failover");
		this.tracker.end("+switch-master");
		assertThat(this.writeGuard.isHoldingWrites()).isFalse();
		assertThat(this.tracker.masterAtStart()).isNull();
		assertThat(this.tracker.isInProgress()).isFalse();
		assertThat(this.state.get().failover()).isNull();
	}

}
