package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.RedisFailureClassifier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class FailoverWriteGuardTests {

	@Test
	void guardShouldNotHoldUntilAFailoverStarts() {
		FailoverWriteGuard guard = guard(Duration.ofSeconds(10), Duration.ofSeconds(2));
		assertThat(guard.isHoldingWrites()).isFalse();
		guard.hold();
		assertThat(guard.isHoldingWrites()).isTrue();
	}

	@Test
	void heldWriteShouldWaitUntilReleased() throws Exception {
		FailoverWriteGuard guard = guard(Duration.ofSeconds(30), Duration.ofSeconds(30));
		guard.hold();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		Thread writer = new Thread(() -> {
			try {
				guard.awaitWritesReleased();
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		}, "held-writer");
		writer.start();
		// Observed parked inside the guard: a guard that lets the write through never gets there.
		awaitHeldInGuard(writer);
		guard.release();
		writer.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(writer.isAlive()).as("write still held after release").isFalse();
		assertThat(failure.get()).isNull();
		assertThat(guard.isHoldingWrites()).isFalse();
	}

	@Test
	void interruptedHeldWriteShouldFailAsInterruptedCommandAndKeepTheInterruptFlag() throws Exception {
		FailoverWriteGuard guard = guard(Duration.ofSeconds(30), Duration.ofSeconds(30));
		guard.hold();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		AtomicBoolean interruptedAfterwards = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			try {
				guard.awaitWritesReleased();
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
			interruptedAfterwards.set(Thread.currentThread().isInterrupted());
		}, "held-writer");
		writer.start();
		awaitHeldInGuard(writer);
		writer.interrupt();
		writer.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(writer.isAlive()).isFalse();
		// What Spring Data itself throws for an interrupted Lettuce command (LettuceExceptionConverter).
		assertThat(failure.get()).isInstanceOf(RedisSystemException.class)
			.hasCauseInstanceOf(RedisCommandInterruptedException.class)
			.satisfies((ex) -> assertThat(RedisFailureClassifier.classify(ex)).isEqualTo(FailureKind.FATAL));
		assertThat(interruptedAfterwards).isTrue();
	}

	@Test
	void heldWriteShouldFailAsNotSentAfterOneAttemptBound() {
		// Long enough that a guard throwing at once cannot reach it through class loading alone.
		Duration perAttempt = Duration.ofMillis(500);
		FailoverWriteGuard guard = guard(Duration.ofSeconds(10), perAttempt);
		guard.hold();
		long started = System.nanoTime();
		assertThatExceptionOfType(WritesHeldException.class).isThrownBy(guard::awaitWritesReleased)
			.satisfies((ex) -> assertThat(RedisFailureClassifier.classify(ex)).isEqualTo(FailureKind.NOT_SENT));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time held").isGreaterThanOrEqualTo(perAttempt);
		assertThat(guard.isHoldingWrites()).isTrue();
	}

	@Test
	void holdShouldReportItsEndAfterMaxDurationWithoutAWaitingWrite() {
		FailoverWriteGuard guard = guard(Duration.ofMillis(50), Duration.ofSeconds(5));
		guard.hold();
		assertThat(guard.isHoldingWrites()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> !guard.isHoldingWrites());
	}

	@Test
	void holdShouldEndByItselfAfterMaxDuration() {
		Duration maxHold = Duration.ofMillis(300);
		FailoverWriteGuard guard = guard(maxHold, Duration.ofSeconds(5));
		guard.hold();
		long started = System.nanoTime();
		assertThatNoException().isThrownBy(guard::awaitWritesReleased);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time held").isGreaterThanOrEqualTo(maxHold);
		assertThat(guard.isHoldingWrites()).isFalse();
	}

	@Test
	void disabledHoldShouldNeverHold() {
		FailoverWriteGuard guard = new FailoverWriteGuard(false, Duration.ofSeconds(10), Duration.ofSeconds(2), 0,
				Duration.ofMillis(100));
		guard.hold();
		assertThat(guard.isHoldingWrites()).isFalse();
		assertThatNoException().isThrownBy(guard::awaitWritesReleased);
		assertThat(guard.confirmsWrites()).isFalse();
	}

	@Test
	void confirmWriteShouldFailWhenTooFewReplicasAcknowledge() {
		FailoverWriteGuard guard = new FailoverWriteGuard(true, Duration.ofSeconds(10), Duration.ofSeconds(2), 2,
				Duration.ofMillis(100));
		RedisAsyncCommands<byte[], byte[]> commands = mock();
		given(commands.waitForReplication(2, 100)).willReturn(completed(1L));
		assertThat(guard.confirmsWrites()).isTrue();
		assertThatExceptionOfType(ReplicaAcknowledgementException.class)
			.isThrownBy(() -> guard.confirmWrite(commands))
			.withMessageContaining("1 of 2")
			.satisfies((ex) -> assertThat(RedisFailureClassifier.classify(ex)).isEqualTo(FailureKind.FATAL));
		given(commands.waitForReplication(2, 100)).willReturn(completed(2L));
		assertThatNoException().isThrownBy(() -> guard.confirmWrite(commands));
	}

	private static RedisFuture<Long> completed(long value) {
		AsyncCommand<byte[], byte[], Long> command = new AsyncCommand<>(
				new Command<>(CommandType.WAIT, new IntegerOutput<>(ByteArrayCodec.INSTANCE)));
		command.complete(value);
		return command;
	}

	/**
	 * Waits until the thread is parked inside the guard, which a guard that does not hold never gets to.
	 */
	private static void awaitHeldInGuard(Thread thread) {
		await("write held by the guard").atMost(Duration.ofSeconds(5)).until(() -> isHeldInGuard(thread));
	}

	private static boolean isHeldInGuard(Thread thread) {
		Thread.State state = thread.getState();
		return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
				&& Arrays.stream(thread.getStackTrace())
					.anyMatch((frame) -> frame.getClassName().equals(FailoverWriteGuard.class.getName())
							&& frame.getMethodName().equals("awaitWritesReleased"));
	}

	private static FailoverWriteGuard guard(Duration maxHold, Duration perAttempt) {
		return new FailoverWriteGuard(true, maxHold, perAttempt, 0, Duration.ofMillis(100));
	}

}
