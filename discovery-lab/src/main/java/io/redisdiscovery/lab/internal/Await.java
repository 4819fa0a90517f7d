package io.redisdiscovery.lab.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.redisdiscovery.lab.RedisLabException;
import org.jspecify.annotations.Nullable;

/**
 * Polls a probe until it succeeds or a deadline passes, then fails with the last reason it was not ready.
 */
public final class Await {

	private static final long POLL_INTERVAL_MILLIS = 20;

	private Await() {
	}

	/**
	 * Polls {@code probe} until it returns without throwing; any exception means "not yet", except {@link Abort},
	 * which fails at once.
	 */
	public static <T> T until(String what, Duration timeout, Probe<T> probe) {
		long deadline = System.nanoTime() + timeout.toNanos();
		@Nullable Exception lastFailure = null;
		while (true) {
			try {
				return probe.poll();
			}
			catch (Abort ex) {
				throw ex;
			}
			catch (Exception ex) {
				lastFailure = ex;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new RedisLabException("Timed out after " + timeout.toMillis() + " ms waiting for " + what
						+ "; last observation: " + describe(lastFailure), lastFailure);
			}
			pause(POLL_INTERVAL_MILLIS);
		}
	}

	/**
	 * Polls {@code condition} until it is true or the deadline passes.
	 */
	public static void untilTrue(String what, Duration timeout, Condition condition) {
		until(what, timeout, () -> {
			if (!condition.check()) {
				throw notYet("condition not met");
			}
			return Boolean.TRUE;
		});
	}

	/**
	 * A cheap exception a probe throws to say "not ready yet, because ...".
	 */
	public static NotYet notYet(String reason) {
		return new NotYet(reason);
	}

	/**
	 * An exception a probe throws to stop waiting at once, for example when the process it waits for died.
	 */
	public static Abort abort(String reason) {
		return new Abort(reason);
	}

	/**
	 * Sleeps between polls; main code only uses this for pacing, never to wait for an outcome.
	 */
	public static void pause(long millis) {
		try {
			TimeUnit.MILLISECONDS.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisLabException("Interrupted while waiting", ex);
		}
	}

	private static String describe(@Nullable Exception failure) {
		if (failure == null) {
			return "none";
		}
		return (failure instanceof NotYet) ? failure.getMessage() : failure.toString();
	}

	/**
	 * One poll of a readiness check.
	 */
	@FunctionalInterface
	public interface Probe<T> {

		T poll() throws Exception;

	}

	/**
	 * One poll of a boolean readiness check.
	 */
	@FunctionalInterface
	public interface Condition {

		boolean check() throws Exception;

	}

	/**
	 * Signals "not ready yet" without the cost of a stack trace.
	 */
	public static final class NotYet extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NotYet(String reason) {
			super(reason, null, false, false);
		}

	}

	/**
	 * Signals that waiting longer cannot help.
	 */
	public static class Abort extends RedisLabException {

		private static final long serialVersionUID = 1L;

		public Abort(String reason) {
			super(reason);
		}

	}

}
