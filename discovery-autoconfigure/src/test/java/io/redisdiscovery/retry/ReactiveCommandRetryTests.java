package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ReactiveCommandRetryTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private final Retry retry = Retry.of("test",
			RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build());

	/** Attempts and recoveries in the order they ran. */
	private final List<String> events = new CopyOnWriteArrayList<>();

	private final ReactiveCommandRetry reactiveRetry = new ReactiveCommandRetry(
			new CommandRetry(this.retry, false, (kind, failure) -> this.events.add("recover " + kind)));

	@Test
	void executeWhenNotSentShouldRetryNonIdempotentCommandAfterRecovery() {
		Long result = this.reactiveRetry
			.executeMono(false, (attempt) -> attempt(attempt, (attempt == 1) ? notSent() : Mono.just(42L)))
			.block(BLOCK);
		assertThat(result).isEqualTo(42L);
		assertThat(this.events).containsExactly("attempt 1", "recover NOT_SENT", "attempt 2");
		assertThat(this.retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
		assertThat(this.retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isZero();
	}

	@Test
	void aRetryStartingToWaitShouldSaySo() {
		RetryWakeup wakeup = new RetryWakeup();
		AtomicInteger waitsStarted = new AtomicInteger();
		wakeup.onWaitStarted(waitsStarted::incrementAndGet);
		ReactiveCommandRetry woken = new ReactiveCommandRetry(CommandRetryTests.minuteBackoffRetry(wakeup));
		CompletableFuture<Long> result = woken
			.executeMono(false, (attempt) -> attempt(attempt, (attempt == 1) ? notSent() : Mono.just(42L)))
			.toFuture();
		await().atMost(BLOCK).until(() -> waitsStarted.get() > 0);
		wakeup.signal();
		assertThat(result).succeedsWithin(BLOCK).isEqualTo(42L);
	}

	@Test
	void waitBetweenAttemptsShouldEndWhenWokenUp() {
		RetryWakeup wakeup = new RetryWakeup();
		ReactiveCommandRetry woken = new ReactiveCommandRetry(CommandRetryTests.minuteBackoffRetry(wakeup));
		CompletableFuture<Long> result = woken
			.executeMono(false, (attempt) -> attempt(attempt, (attempt == 1) ? notSent() : Mono.just(42L)))
			.toFuture();
		// The first attempt failed; the retry now waits out a one-minute backoff unless something wakes it.
		await().atMost(BLOCK).until(() -> this.events.contains("attempt 1"));
		wakeup.signal();
		assertThat(result).succeedsWithin(BLOCK).isEqualTo(42L);
		assertThat(this.events).containsExactly("attempt 1", "attempt 2");
	}

	@Test
	void aTopologyChangeAfterAFailedEarlyAttemptShouldEndTheRestOfTheBackoff() {
		RetryWakeup wakeup = new RetryWakeup();
		ReactiveCommandRetry woken = new ReactiveCommandRetry(CommandRetryTests.minuteBackoffRetry(wakeup));
		CompletableFuture<Long> result = woken.executeMono(false, (attempt) -> attempt(attempt, Mono.defer(() -> {
			if (attempt == 1) {
				// A connection came up meanwhile (a slot map refresh's, say): one early attempt, which fails too.
				wakeup.signal();
			}
			return (attempt < 3) ? notSent() : Mono.just(42L);
		}))).toFuture();
		await().atMost(BLOCK).until(() -> this.events.contains("attempt 2"));
		// The rest of the one-minute backoff: a connection coming up does not end it again, the promotion does.
		wakeup.signal();
		wakeup.topologyChanged();
		assertThat(result).succeedsWithin(BLOCK).isEqualTo(42L);
		assertThat(this.events).containsExactly("attempt 1", "attempt 2", "attempt 3");
	}

	@Test
	void aConnectionComingUpAfterFailedAttemptsWokenByChangesShouldEndTheBackoff() {
		RetryWakeup wakeup = new RetryWakeup();
		ReactiveCommandRetry woken = new ReactiveCommandRetry(CommandRetryTests.minuteBackoffRetry(wakeup));
		CompletableFuture<Long> result = woken
			.executeMono(false, (attempt) -> attempt(attempt, (attempt < 4) ? notSent() : Mono.just(42L)))
			.toFuture();
		// A DNS source sees a proxy drop, then connects to another one, before the application's connection has
		// reconnected: two early attempts, which fail.
		await().atMost(BLOCK).until(() -> this.events.contains("attempt 1"));
		wakeup.topologyChanged();
		await().atMost(BLOCK).until(() -> this.events.contains("attempt 2"));
		wakeup.topologyChanged();
		await().atMost(BLOCK).until(() -> this.events.contains("attempt 3"));
		// No connection coming up ended this backoff yet: the application's own reconnect does.
		wakeup.signal();
		assertThat(result).succeedsWithin(BLOCK).isEqualTo(42L);
		assertThat(this.events).containsExactly("attempt 1", "attempt 2", "attempt 3", "attempt 4");
	}

	@Test
	void executeWhenMaybeSentShouldNotRetryNonIdempotentCommand() {
		Mono<Long> increment = this.reactiveRetry.executeMono(false,
				(attempt) -> attempt(attempt, Mono.error(new RedisException("Connection disconnected"))));
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> increment.block(BLOCK));
		assertThat(this.events).containsExactly("attempt 1");
	}

	@Test
	void executeWhenMaybeSentShouldRetryIdempotentCommand() {
		String result = this.reactiveRetry
			.executeMono(true,
					(attempt) -> attempt(attempt,
							(attempt == 1) ? Mono.error(new RedisException("Connection disconnected"))
									: Mono.just("value")))
			.block(BLOCK);
		assertThat(result).isEqualTo("value");
		assertThat(this.events).containsExactly("attempt 1", "recover MAYBE_SENT", "attempt 2");
	}

	@Test
	void executeWhenMaybeSentAndUserOptedInShouldRetryNonIdempotentCommand() {
		ReactiveCommandRetry optedIn = new ReactiveCommandRetry(
				new CommandRetry(this.retry, true, RecoveryAction.NONE));
		Long result = optedIn
			.executeMono(false,
					(attempt) -> attempt(attempt,
							(attempt == 1) ? Mono.error(new RedisException("Connection disconnected")) : Mono.just(1L)))
			.block(BLOCK);
		assertThat(result).isEqualTo(1L);
		assertThat(this.events).containsExactly("attempt 1", "attempt 2");
	}

	@Test
	void executeWhenFatalShouldNeverRetry() {
		Mono<String> read = this.reactiveRetry.executeMono(true, (attempt) -> attempt(attempt,
				Mono.error(new RedisCommandExecutionException("WRONGTYPE Operation against a key"))));
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> read.block(BLOCK));
		assertThat(this.events).containsExactly("attempt 1");
	}

	@Test
	void executeShouldStopAtMaxAttemptsWithTheLastFailure() {
		AtomicReference<RedisException> last = new AtomicReference<>();
		Mono<String> read = this.reactiveRetry.executeMono(true, (attempt) -> {
			RedisException failure = new RedisException("Currently not connected (" + attempt + ")");
			last.set(failure);
			return attempt(attempt, Mono.error(failure));
		});
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> read.block(BLOCK))
			.satisfies((ex) -> assertThat(ex).isSameAs(last.get()));
		assertThat(this.events).containsExactly("attempt 1", "recover NOT_SENT", "attempt 2", "recover NOT_SENT",
				"attempt 3", "recover NOT_SENT");
		assertThat(this.retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isOne();
	}

	@Test
	void executeShouldNotRetryAFailureAfterAResultWasEmitted() {
		Flux<String> range = this.reactiveRetry.execute(true, (attempt) -> attempt(attempt, Flux
			.concat(Flux.just("a"), Flux.error(new RedisException("Connection disconnected")))));
		List<String> received = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(RedisException.class)
			.isThrownBy(() -> range.doOnNext(received::add).blockLast(BLOCK));
		assertThat(received).containsExactly("a");
		assertThat(this.events).containsExactly("attempt 1");
	}

	@Test
	void executeWhenFatalAtOnceShouldCountOneCallFailedWithoutRetry() {
		Retry counted = CommandRetryTests.countedRetry();
		ReactiveCommandRetry reactive = new ReactiveCommandRetry(new CommandRetry(counted, false, RecoveryAction.NONE));
		Mono<String> read = reactive.executeMono(true,
				(attempt) -> Mono.error(new RedisCommandExecutionException("WRONGTYPE Operation against a key")));
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> read.block(BLOCK));
		assertThat(CommandRetryTests.callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenMaybeSentAndNotIdempotentShouldCountOneCallFailedWithoutRetry() {
		Retry counted = CommandRetryTests.countedRetry();
		ReactiveCommandRetry reactive = new ReactiveCommandRetry(new CommandRetry(counted, false, RecoveryAction.NONE));
		Mono<Long> increment = reactive.executeMono(false,
				(attempt) -> Mono.error(new RedisException("Connection disconnected")));
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> increment.block(BLOCK));
		assertThat(CommandRetryTests.callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenARetriedCallEndsOnAFailureNotRetriedShouldCountItOnce() {
		Retry counted = CommandRetryTests.countedRetry();
		ReactiveCommandRetry reactive = new ReactiveCommandRetry(new CommandRetry(counted, false, RecoveryAction.NONE));
		Mono<Long> increment = reactive.executeMono(false, (attempt) -> (attempt == 1) ? notSent()
				: Mono.error(new RedisCommandExecutionException("WRONGTYPE Operation against a key")));
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> increment.block(BLOCK));
		assertThat(CommandRetryTests.callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenAFailureFollowsAResultShouldCountOneCallFailedWithoutRetry() {
		Retry counted = CommandRetryTests.countedRetry();
		ReactiveCommandRetry reactive = new ReactiveCommandRetry(new CommandRetry(counted, false, RecoveryAction.NONE));
		Flux<String> range = reactive.execute(true,
				(attempt) -> Flux.concat(Flux.just("a"), Flux.error(new RedisException("Connection disconnected"))));
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> range.blockLast(BLOCK));
		assertThat(CommandRetryTests.callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeShouldCountEachSubscriptionOnceInTheMetrics() {
		Flux<String> range = this.reactiveRetry.execute(true, (attempt) -> Flux.just("a", "b", "c"));
		assertThat(range.collectList().block(BLOCK)).containsExactly("a", "b", "c");
		assertThat(range.take(1).blockLast(BLOCK)).isEqualTo("a");
		assertThat(this.reactiveRetry.executeMono(true, (attempt) -> Mono.just(1)).block(BLOCK)).isOne();
		assertThat(this.retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(3);
		assertThat(this.retry.getMetrics().getNumberOfTotalCalls()).isEqualTo(3);
	}

	@Test
	void executeShouldWaitBetweenAttemptsWithoutBlockingTheSubscriber() {
		Retry slow = Retry.of("slow", RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(500)).build());
		ReactiveCommandRetry slowRetry = new ReactiveCommandRetry(new CommandRetry(slow, false, RecoveryAction.NONE));
		AtomicInteger attempts = new AtomicInteger();
		AtomicReference<String> result = new AtomicReference<>();
		slowRetry.executeMono(false, (attempt) -> {
			attempts.incrementAndGet();
			return (attempt == 1) ? notSent() : Mono.just("done");
		}).subscribe(result::set);
		// subscribe() returned while the retry waits: nothing blocked this thread for the 500 ms.
		assertThat(attempts).hasValue(1);
		assertThat(result.get()).isNull();
		await().atMost(BLOCK).until(() -> "done".equals(result.get()));
		assertThat(attempts).hasValue(2);
	}

	private <T> Mono<T> attempt(int attempt, Mono<T> outcome) {
		return Mono.defer(() -> {
			this.events.add("attempt " + attempt);
			return outcome;
		});
	}

	private <T> Flux<T> attempt(int attempt, Flux<T> outcome) {
		return Flux.defer(() -> {
			this.events.add("attempt " + attempt);
			return outcome;
		});
	}

	private static <T> Mono<T> notSent() {
		return Mono.error(new RedisException("Currently not connected. Commands are rejected."));
	}

}
