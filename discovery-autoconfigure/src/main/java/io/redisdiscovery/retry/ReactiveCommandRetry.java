package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import io.github.resilience4j.retry.Retry;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The reactive counterpart of {@link CommandRetry}: the same rules, Resilience4j {@link Retry} and recovery action,
 * applied to a {@link Publisher} by subscribing to it again, without blocking a thread.
 * <p>
 * Each subscription is one operation in the retry metrics, like one {@link CommandRetry#execute} call: a
 * Resilience4j {@link Retry.AsyncContext} counts its failed attempts, decides the wait (max attempts, backoff) and
 * counts its success.
 *
 * @since 0.1.0
 */
public final class ReactiveCommandRetry {

	private final CommandRetry rules;

	/**
	 * Creates a reactive retry with the rules of a command retry.
	 * @param rules the command retry whose Resilience4j retry, idempotency setting, recovery action and write guard
	 * apply
	 */
	public ReactiveCommandRetry(CommandRetry rules) {
		this.rules = rules;
	}

	/**
	 * What holds and confirms writes.
	 * @return the write guard of the rules
	 */
	public WriteGuard getWriteGuard() {
		return this.rules.getWriteGuard();
	}

	/**
	 * A publisher of the operation's results that subscribes to the operation again where a retry is safe.
	 * <p>
	 * A failure after the operation emitted a result is passed on: subscribing again would emit that result twice.
	 * @param <T> the element type
	 * @param idempotent whether the operation may be applied twice
	 * @param operation the operation; receives the attempt number, starting at 1, and is subscribed to at once
	 * @return the results of the first attempt that does not fail
	 */
	public <T> Flux<T> execute(boolean idempotent, IntFunction<? extends Publisher<T>> operation) {
		return run(idempotent, operation, false);
	}

	/**
	 * Like {@link #execute(boolean, IntFunction)}, for an operation that emits at most one result.
	 * @param <T> the result type
	 * @param idempotent whether the operation may be applied twice
	 * @param operation the operation; receives the attempt number, starting at 1
	 * @return the result of the first attempt that does not fail
	 */
	public <T> Mono<T> executeMono(boolean idempotent, IntFunction<? extends Mono<T>> operation) {
		return Mono.fromDirect(run(idempotent, operation, true));
	}

	private <T> Flux<T> run(boolean idempotent, IntFunction<? extends Publisher<T>> operation, boolean single) {
		return Flux.defer(
				() -> new Operation<T>(this.rules.getRetry().asyncContext(), idempotent, operation, single).run());
	}

	/**
	 * One subscription to a retried operation.
	 */
	private final class Operation<T> {

		private final Retry.AsyncContext<T> context;

		private final boolean idempotent;

		private final IntFunction<? extends Publisher<T>> operation;

		private final boolean single;

		private volatile boolean emitted;

		private volatile boolean failed;

		private final AtomicBoolean counted = new AtomicBoolean();

		Operation(Retry.AsyncContext<T> context, boolean idempotent, IntFunction<? extends Publisher<T>> operation,
				boolean single) {
			this.context = context;
			this.idempotent = idempotent;
			this.operation = operation;
			this.single = single;
		}

		Flux<T> run() {
			// Counted before the signal goes on, so that a caller who got the result sees it in the metrics.
			return attempt(1).doOnNext(this::onResult)
				.doOnError((ex) -> this.failed = true)
				.doOnComplete(this::onSuccess)
				.doOnCancel(() -> {
					// A cancel after a result is a success too: the caller got what it asked for (a take(1), say).
					if (this.emitted && !this.failed) {
						onSuccess();
					}
				});
		}

		/** A single result is the success: a caller blocking on a Mono returns with it, before its completion. */
		private void onResult(T result) {
			this.emitted = true;
			if (this.single) {
				onSuccess();
			}
		}

		private void onSuccess() {
			ReactiveCommandRetry.this.rules.getRecoveryAction().afterSuccess();
			if (this.counted.compareAndSet(false, true)) {
				this.context.onComplete();
			}
		}

		private Flux<T> attempt(int attempt) {
			return Flux.defer(() -> {
				long signals = wakeup().signals();
				long changes = wakeup().changes();
				return Flux.from(this.operation.apply(attempt))
					.onErrorResume((ex) -> recover(ex).then(Mono.defer(() -> waitBeforeRetry(ex, signals)))
						.flatMapMany((deadline) -> (deadline > 0)
								? earlyAttempt(attempt + 1, deadline, wakeup().changes() == changes)
								: attempt(attempt + 1)));
			});
		}

		/**
		 * An attempt made when a wake-up cut the backoff short: it does not count against the budget. If it fails,
		 * a topology change brings another each time, so a promotion announced later in the backoff is not waited
		 * past. A connection coming up (which may be anyone's) brings one per backoff, so a burst of connections
		 * opened by a discovery cannot spend the attempts faster than the backoff allows; changes that come before
		 * the application's own reconnect do not use it up.
		 * @param connectionSpent whether a connection coming up brought an early attempt in this backoff already
		 */
		private Flux<T> earlyAttempt(int attempt, long deadline, boolean connectionSpent) {
			return Flux.defer(() -> {
				long signals = wakeup().signals();
				long changes = wakeup().changes();
				return Flux.from(this.operation.apply(attempt))
					.onErrorResume((ex) -> recover(ex)
						.then(Mono.defer(() -> Mono.firstWithSignal(
								Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).thenReturn(false),
								(connectionSpent ? wakeup().nextChange(changes) : wakeup().next(signals))
									.thenReturn(true))))
						.flatMapMany((woken) -> woken
								? earlyAttempt(attempt + 1, deadline, connectionSpent || wakeup().changes() == changes)
								: attempt(attempt + 1)));
			});
		}

		/** Runs the recovery action before a retry, or ends with the failure when it may not be retried. */
		private Mono<Void> recover(Throwable attemptFailure) {
			Throwable failure = UnconfirmedWriteException.unwrap(attemptFailure);
			FailureKind kind = UnconfirmedWriteException.classify(attemptFailure);
			RecoveryAction recovery = ReactiveCommandRetry.this.rules.getRecoveryAction();
			boolean retried = !this.emitted
					&& kind.allowsRetry(this.idempotent || ReactiveCommandRetry.this.rules.isRetryNonIdempotent());
			// Failures arrive on Lettuce's event loop; recovery may block (a re-discovery, a reset), so not there.
			return Mono.<Void>fromRunnable(() -> {
				recovery.afterFailure(kind, failure);
				if (retried) {
					recovery.beforeRetry(kind, failure);
				}
			})
				.subscribeOn(Schedulers.boundedElastic())
				.then(Mono.defer(() -> retried ? Mono.<Void>empty() : notRetried(failure)));
		}

		/** Ends the call with a failure that is not retried, counted once in the metrics. */
		private Mono<Void> notRetried(Throwable failure) {
			CommandRetry.countNotRetried(ReactiveCommandRetry.this.rules.getRetry(), this.context, failure);
			return Mono.error(failure);
		}

		/**
		 * Counts the failed attempt and waits as the retry's configuration says, or ends with the failure. Completes with
		 * the backoff's deadline when a signal (a connection came up, the topology changed) cut it short, else with 0.
		 */
		private Mono<Long> waitBeforeRetry(Throwable attemptFailure, long signals) {
			Throwable failure = UnconfirmedWriteException.unwrap(attemptFailure);
			long waitMillis = this.context.onError(failure);
			if (waitMillis < 0) {
				return Mono.error(failure);
			}
			long deadline = System.nanoTime() + Duration.ofMillis(waitMillis).toNanos();
			return Mono.firstWithSignal(Mono.delay(Duration.ofMillis(waitMillis)).thenReturn(0L),
					wakeup().next(signals).thenReturn(deadline));
		}

		private RetryWakeup wakeup() {
			return ReactiveCommandRetry.this.rules.getWakeup();
		}

	}

}
