package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconnect scheduled with the idle backoff runs once, at once when asked to, and never after it was cancelled;
 * every other timeout goes to the timer unchanged.
 */
class IdleReconnectsTests {

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);

	private final IdleReconnects reconnects = new IdleReconnects(this.timer);

	private final AtomicInteger runs = new AtomicInteger();

	@AfterEach
	void stopTimer() {
		this.timer.stop();
	}

	@Test
	void aReconnectScheduledWithTheIdleBackoffShouldRunOnceAtOnceWhenAsked() {
		this.reconnects.nextIsIdleBackoff();
		Timeout reconnect = this.reconnects.newTimeout((timeout) -> this.runs.incrementAndGet(), 1, TimeUnit.HOURS);
		this.reconnects.runNow();
		this.reconnects.runNow();
		await("the reconnect").atMost(DEADLINE).until(() -> this.runs.get() == 1);
		assertThat(reconnect.isExpired()).isTrue();
		// The hour-long timeout was cancelled: nothing is left on the timer to run it a second time.
		await("the timer emptied").atMost(DEADLINE).until(() -> this.timer.pendingTimeouts() == 0);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void aCancelledReconnectShouldNeverRun() {
		this.reconnects.nextIsIdleBackoff();
		Timeout reconnect = this.reconnects.newTimeout((timeout) -> this.runs.incrementAndGet(), 1, TimeUnit.HOURS);
		assertThat(reconnect.cancel()).isTrue();
		this.reconnects.runNow();
		assertThat(reconnect.isCancelled()).isTrue();
		await("the timer emptied").atMost(DEADLINE).until(() -> this.timer.pendingTimeouts() == 0);
		assertThat(this.runs).hasValue(0);
	}

	@Test
	void aReconnectWhoseDelayEndedShouldNotRunAgainWhenAsked() {
		this.reconnects.nextIsIdleBackoff();
		this.reconnects.newTimeout((timeout) -> this.runs.incrementAndGet(), 1, TimeUnit.MILLISECONDS);
		await("the reconnect").atMost(DEADLINE).until(() -> this.runs.get() == 1);
		this.reconnects.runNow();
		await("the timer emptied").atMost(DEADLINE).until(() -> this.timer.pendingTimeouts() == 0);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void anyOtherTimeoutShouldGoToTheTimerUnchanged() {
		this.reconnects.nextIsIdleBackoff();
		this.reconnects.newTimeout((timeout) -> this.runs.incrementAndGet(), 1, TimeUnit.HOURS);
		// Only the first timeout after the delay chose the backoff is a reconnect: a command timeout is left alone.
		Timeout commandTimeout = this.reconnects.newTimeout((timeout) -> this.runs.addAndGet(100), 1, TimeUnit.HOURS);
		assertThat(commandTimeout.timer()).isSameAs(this.timer);
		this.reconnects.runNow();
		await("the reconnect").atMost(DEADLINE).until(() -> this.runs.get() == 1);
		assertThat(commandTimeout.isCancelled()).isFalse();
		assertThat(commandTimeout.isExpired()).isFalse();
	}

}
