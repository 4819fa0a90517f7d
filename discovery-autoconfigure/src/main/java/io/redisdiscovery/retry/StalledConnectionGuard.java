package io.redisdiscovery.retry;

import java.time.Duration;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.protocol.RedisProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.QueryTimeoutException;

/**
 * Replaces the shared connection after command timeouts in a row (no command succeeded in between), and at once after
 * a reply that is not valid RESP (a corrupted stream cannot be resynchronized). Every failed attempt counts, also one
 * that is not retried: a workload of {@code INCR}s alone behind a balancer that went silent would otherwise stay on
 * the dead connection for good. A peer that goes silent without a reset
 * (a dead host, a blackholing proxy or balancer) leaves the TCP connection open, so Lettuce never reconnects by
 * itself and every command would wait for its timeout. Timeouts of blocking commands ({@code BLPOP},
 * {@code XREAD ... BLOCK} ...) do not count: Spring Data Redis runs them on a dedicated connection.
 *
 * @since 0.1.0
 */
public final class StalledConnectionGuard {

	private static final Logger logger = LoggerFactory.getLogger(StalledConnectionGuard.class);

	private final int threshold;

	private final long windowNanos;

	private final Runnable resetConnection;

	/** Timeouts in the current streak; volatile so that the check on every success is a plain read. */
	private volatile int timeouts;

	private long streakStart;

	/**
	 * Creates a guard.
	 * @param threshold how many timeouts in a row mean the connection is dead
	 * @param window how close together they must be
	 * @param resetConnection closes the shared connection so that the next command dials anew
	 */
	public StalledConnectionGuard(int threshold, Duration window, Runnable resetConnection) {
		this.threshold = threshold;
		this.windowNanos = window.toNanos();
		this.resetConnection = resetConnection;
	}

	/**
	 * Counts a failed attempt, and replaces the connection when it shows the connection is dead.
	 * @param kind how the failure was classified
	 * @param failure what the attempt threw
	 */
	public void afterFailure(FailureKind kind, Throwable failure) {
		if (isProtocolError(failure)) {
			logger.warn("Redis sent a reply that is not valid RESP: replacing the connection");
			this.resetConnection.run();
			return;
		}
		if (isTimeout(failure) && !isBlockingCommandTimeout(failure) && countTimeout(System.nanoTime())) {
			logger.warn("{} Redis commands timed out in a row: replacing the connection if a new one answers",
					this.threshold);
			this.resetConnection.run();
		}
	}

	/**
	 * Ends the current streak of timeouts: a command succeeded, so the connection answers.
	 */
	public void afterSuccess() {
		if (this.timeouts != 0) {
			endStreak();
		}
	}

	private synchronized void endStreak() {
		this.timeouts = 0;
	}

	private synchronized boolean countTimeout(long now) {
		if (this.timeouts == 0 || now - this.streakStart > this.windowNanos) {
			this.timeouts = 0;
			this.streakStart = now;
		}
		if (++this.timeouts < this.threshold) {
			return false;
		}
		this.timeouts = 0;
		return true;
	}

	private static boolean isProtocolError(Throwable failure) {
		return CauseChain.find(failure, RedisProtocolException.class) != null;
	}

	/**
	 * Spring Data Redis runs blocking commands ({@code bLPop}, {@code xRead} with a block time ...) on a dedicated
	 * connection, so their timeout says nothing about the shared one. Lettuce names the expired command first in
	 * the message ({@code "BLPOP. Command timed out after 7 second(s)"}).
	 */
	private static boolean isBlockingCommandTimeout(Throwable failure) {
		RedisCommandTimeoutException timeout = CauseChain.find(failure, RedisCommandTimeoutException.class);
		String message = (timeout != null) ? timeout.getMessage() : null;
		int end = (message != null) ? message.indexOf(". Command timed out") : -1;
		return end > 0 && BlockingCommandTimeouts.isBlockingCommand(message.substring(0, end));
	}

	private static boolean isTimeout(Throwable failure) {
		return CauseChain.anyMatch(failure, (current) -> current instanceof RedisCommandTimeoutException
				|| current instanceof QueryTimeoutException);
	}

}
