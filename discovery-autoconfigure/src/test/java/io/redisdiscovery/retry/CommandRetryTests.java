package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class CommandRetryTests {

	private final Retry retry = Retry.of("test",
			RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build());

	private final List<FailureKind> recoveries = new ArrayList<>();

	private final CommandRetry commandRetry = new CommandRetry(this.retry, false,
			(kind, failure) -> this.recoveries.add(kind));

	@Test
	void executeWhenNotSentShouldRetryNonIdempotentCommandAndRunRecovery() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Long result = this.commandRetry.execute(false, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return 42L;
		});
		assertThat(result).isEqualTo(42L);
		assertThat(calls).hasValue(2);
		assertThat(this.recoveries).containsExactly(FailureKind.NOT_SENT);
		assertThat(this.retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
	}

	@Test
	void executeWhenMaybeSentShouldNotRetryNonIdempotentCommand() {
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> this.commandRetry.execute(false, (attempt) -> {
			calls.incrementAndGet();
			throw new RedisException("Connection disconnected");
		}));
		assertThat(calls).hasValue(1);
		assertThat(this.recoveries).isEmpty();
	}

	@Test
	void executeWhenMaybeSentShouldRetryIdempotentCommand() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		String result = this.commandRetry.execute(true, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				throw new RedisException("Connection disconnected");
			}
			return "value";
		});
		assertThat(result).isEqualTo("value");
		assertThat(calls).hasValue(2);
	}

	@Test
	void executeWhenMaybeSentAndUserOptedInShouldRetryNonIdempotentCommand() throws Exception {
		CommandRetry optedIn = new CommandRetry(this.retry, true, RecoveryAction.NONE);
		AtomicInteger calls = new AtomicInteger();
		Long result = optedIn.execute(false, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				throw new RedisException("Connection disconnected");
			}
			return 1L;
		});
		assertThat(result).isEqualTo(1L);
		assertThat(calls).hasValue(2);
	}

	@Test
	void executeWhenFatalShouldFailAtOnce() {
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> this.commandRetry.execute(true, (attempt) -> {
				calls.incrementAndGet();
				throw new RedisCommandExecutionException("WRONGTYPE Operation against a key");
			}));
		assertThat(calls).hasValue(1);
	}

	@Test
	void executeWhenAttemptsRunOutShouldThrowLastFailure() {
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> this.commandRetry.execute(true, (attempt) -> {
				assertThat(attempt).isEqualTo(calls.incrementAndGet());
				throw new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory");
			}))
			.withMessageStartingWith("LOADING");
		assertThat(calls).hasValue(3);
		assertThat(this.retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isOne();
	}

	@Test
	void waitBetweenAttemptsShouldEndWhenWokenUp() throws Exception {
		RetryWakeup wakeup = new RetryWakeup();
		CommandRetry woken = minuteBackoffRetry(wakeup);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = new CompletableFuture<>();
		Thread caller = new Thread(() -> result.complete(execute(woken, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return "after the wake-up";
		})));
		caller.start();
		// Waiting out a one-minute backoff, unless something wakes it.
		await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
		assertThat(calls).hasValue(1);
		wakeup.signal();
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("after the wake-up");
		assertThat(calls).hasValue(2);
		assertThat(woken.getRetry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
	}

	@Test
	void aRetryStartingToWaitShouldSaySo() throws Exception {
		RetryWakeup wakeup = new RetryWakeup();
		AtomicInteger waitsStarted = new AtomicInteger();
		wakeup.onWaitStarted(waitsStarted::incrementAndGet);
		CommandRetry woken = minuteBackoffRetry(wakeup);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = new CompletableFuture<>();
		new Thread(() -> result.complete(execute(woken, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return "after the wake-up";
		}))).start();
		// A reconnect scheduled while nobody waited is run at once from here.
		await().atMost(Duration.ofSeconds(10)).until(() -> waitsStarted.get() == 1);
		wakeup.signal();
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("after the wake-up");
		assertThat(waitsStarted).hasValue(1);
	}

	@Test
	void signalDuringTheFailingAttemptShouldSkipTheWait() {
		RetryWakeup wakeup = new RetryWakeup();
		CommandRetry woken = minuteBackoffRetry(wakeup);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> execute(woken, (attempt) -> {
			if (calls.incrementAndGet() == 1) {
				// The connection came back while this attempt was failing: no reason to wait out the backoff.
				wakeup.signal();
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return "at once";
		}));
		assertThat(result).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("at once");
	}

	@Test
	void signalsShouldNotSpendTheAttemptsFasterThanTheBackoff() {
		RetryWakeup wakeup = new RetryWakeup();
		Retry retry = Retry.of("burst", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(50)).build());
		CommandRetry woken = new CommandRetry(retry, false, RecoveryAction.NONE, WriteGuard.NONE, wakeup);
		AtomicInteger calls = new AtomicInteger();
		// Every attempt sees a signal (connections opened by a discovery, say) and fails again.
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> woken.execute(false, (attempt) -> {
			calls.incrementAndGet();
			wakeup.signal();
			throw new RedisException("Currently not connected. Commands are rejected.");
		}));
		// Three counted attempts, and one early attempt in each of the two backoffs, whose rest is then waited out.
		assertThat(calls).hasValue(5);
		assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isOne();
	}

	@Test
	void aTopologyChangeAfterAFailedEarlyAttemptShouldEndTheRestOfTheBackoff() throws Exception {
		RetryWakeup wakeup = new RetryWakeup();
		CommandRetry woken = minuteBackoffRetry(wakeup);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> execute(woken, (attempt) -> {
			int call = calls.incrementAndGet();
			if (call == 1) {
				// A connection came up meanwhile (a slot map refresh's, say): one early attempt, which fails too.
				wakeup.signal();
			}
			if (call < 3) {
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return "after the promotion";
		}));
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
		// The rest of the one-minute backoff: a connection coming up does not end it again, the promotion does.
		wakeup.signal();
		wakeup.topologyChanged();
		assertThat(result).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("after the promotion");
		assertThat(calls).hasValue(3);
	}

	@Test
	void aConnectionComingUpAfterFailedAttemptsWokenByChangesShouldEndTheBackoff() throws Exception {
		RetryWakeup wakeup = new RetryWakeup();
		CommandRetry woken = minuteBackoffRetry(wakeup);
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> execute(woken, (attempt) -> {
			if (calls.incrementAndGet() < 4) {
				throw new RedisException("Currently not connected. Commands are rejected.");
			}
			return "on the reconnected connection";
		}));
		// A DNS source sees a proxy drop, then connects to another one, before the application's connection has
		// reconnected: two early attempts, which fail.
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
		wakeup.topologyChanged();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
		wakeup.topologyChanged();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);
		// No connection coming up ended this backoff yet: the application's own reconnect does.
		wakeup.signal();
		assertThat(result).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("on the reconnected connection");
		assertThat(calls).hasValue(4);
	}

	@Test
	void executeWhenFatalAtOnceShouldCountOneCallFailedWithoutRetry() {
		Retry counted = countedRetry();
		CommandRetry commandRetry = new CommandRetry(counted, false, RecoveryAction.NONE);
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> commandRetry.execute(true,
				(attempt) -> {
					throw new RedisCommandExecutionException("WRONGTYPE Operation against a key");
				}));
		assertThat(callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenMaybeSentAndNotIdempotentShouldCountOneCallFailedWithoutRetry() {
		// The retry's predicate accepts the failure (an idempotent command would be retried): the call still ends.
		Retry counted = countedRetry();
		CommandRetry commandRetry = new CommandRetry(counted, false, RecoveryAction.NONE);
		assertThatExceptionOfType(RedisException.class).isThrownBy(() -> commandRetry.execute(false, (attempt) -> {
			throw new RedisException("Connection disconnected");
		}));
		assertThat(callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenARetriedCallEndsOnAFailureNotRetriedShouldCountItOnce() {
		Retry counted = countedRetry();
		CommandRetry commandRetry = new CommandRetry(counted, false, RecoveryAction.NONE);
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> commandRetry.execute(false, (attempt) -> {
				if (attempt == 1) {
					throw new RedisException("Currently not connected. Commands are rejected.");
				}
				throw new RedisCommandExecutionException("WRONGTYPE Operation against a key");
			}));
		// As Resilience4j counts a call whose last failure its predicate rejects, whatever came before.
		assertThat(callsByKind(counted)).containsExactly(0L, 0L, 0L, 1L);
	}

	@Test
	void executeWhenTheRetryAcceptsEveryFailureShouldNeitherCountNorAnnounceARetryThatIsNotMade() {
		// Resilience4j's default predicate (an application's RetryRegistry): a call not retried cannot be counted.
		List<String> events = new ArrayList<>();
		this.retry.getEventPublisher().onEvent((event) -> events.add(event.getEventType().name()));
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> this.commandRetry.execute(true, (attempt) -> {
				throw new RedisCommandExecutionException("WRONGTYPE Operation against a key");
			}));
		assertThat(events).isEmpty();
		assertThat(callsByKind(this.retry)).containsExactly(0L, 0L, 0L, 0L);
	}

	@Test
	void executeWhenInterruptedDuringTheWaitShouldCountOneCallFailedWithoutRetry() throws Exception {
		Retry slow = Retry.of("slow", RetryConfig.custom()
			.maxAttempts(3)
			.waitDuration(Duration.ofMinutes(1))
			.retryOnException(CommandRetry::retryOnException)
			.build());
		CommandRetry commandRetry = new CommandRetry(slow, false, RecoveryAction.NONE);
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			try {
				commandRetry.execute(false, (attempt) -> {
					throw new RedisException("Currently not connected. Commands are rejected.");
				});
			}
			catch (Exception ex) {
				outcome.complete(ex);
			}
		});
		caller.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
		caller.interrupt();
		assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(RedisException.class);
		assertThat(callsByKind(slow)).containsExactly(0L, 0L, 0L, 1L);
	}

	/** A retry configured as the starter configures its own: three attempts, its exception predicate. */
	static Retry countedRetry() {
		return Retry.of("counted", RetryConfig.custom()
			.maxAttempts(3)
			.waitDuration(Duration.ofMillis(1))
			.retryOnException(CommandRetry::retryOnException)
			.build());
	}

	/**
	 * The calls counted in each kind of {@code resilience4j.retry.calls}: successful without retry, successful with
	 * retry, failed with retry, failed without retry.
	 */
	static List<Long> callsByKind(Retry retry) {
		Retry.Metrics metrics = retry.getMetrics();
		return List.of(metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt(),
				metrics.getNumberOfSuccessfulCallsWithRetryAttempt(), metrics.getNumberOfFailedCallsWithRetryAttempt(),
				metrics.getNumberOfFailedCallsWithoutRetryAttempt());
	}

	/** Three attempts a minute apart: a test ends within its deadline only if the wake-up ends the backoff. */
	static CommandRetry minuteBackoffRetry(RetryWakeup wakeup) {
		Retry slow = Retry.of("slow", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMinutes(1)).build());
		return new CommandRetry(slow, false, RecoveryAction.NONE, WriteGuard.NONE, wakeup);
	}

	private static <T> T execute(CommandRetry retry, CommandRetry.Attempt<T> attempt) {
		try {
			return retry.execute(false, attempt);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
