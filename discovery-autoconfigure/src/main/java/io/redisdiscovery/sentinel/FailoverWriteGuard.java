package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.redisdiscovery.retry.WriteGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.RedisSystemException;

/**
 * Holds writes while Sentinels run a failover and, when asked to, confirms each write with {@code WAIT}.
 *
 * @since 0.1.0
 */
public final class FailoverWriteGuard implements WriteGuard {

	private static final Logger logger = LoggerFactory.getLogger(FailoverWriteGuard.class);

	private final boolean holdEnabled;

	private final long maxHoldNanos;

	private final long waitPerAttemptNanos;

	private final int waitReplicas;

	private final long waitTimeoutMillis;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private volatile boolean holding;

	private final AtomicLong holdsBegun = new AtomicLong();

	private volatile long holdDeadlineNanos;

	/**
	 * Creates a guard.
	 * @param holdEnabled whether failover events hold writes
	 * @param maxHold longest hold after the last failover event
	 * @param waitPerAttempt longest time one write attempt waits (the command timeout)
	 * @param waitReplicas replicas that must acknowledge each write, 0 for none
	 * @param waitTimeout how long {@code WAIT} waits for them
	 */
	public FailoverWriteGuard(boolean holdEnabled, Duration maxHold, Duration waitPerAttempt, int waitReplicas,
			Duration waitTimeout) {
		this.holdEnabled = holdEnabled;
		this.maxHoldNanos = maxHold.toNanos();
		this.waitPerAttemptNanos = waitPerAttempt.toNanos();
		this.waitReplicas = waitReplicas;
		this.waitTimeoutMillis = waitTimeout.toMillis();
	}

	/**
	 * Starts holding writes, or extends the hold, until {@link #release()} or the maximum hold passes.
	 */
	public void hold() {
		if (this.holdEnabled) {
			if (!isHoldingWrites()) {
				logger.info("Holding writes until the new master is confirmed (at most {} ms per attempt)",
						TimeUnit.NANOSECONDS.toMillis(this.waitPerAttemptNanos));
				this.holdsBegun.incrementAndGet();
			}
			this.holdDeadlineNanos = System.nanoTime() + this.maxHoldNanos;
			this.holding = true;
		}
	}

	/**
	 * Lets held writes go.
	 */
	public void release() {
		this.lock.lock();
		try {
			this.holding = false;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether the last hold ended by its maximum duration rather than by {@link #release()}: the end of that failover
	 * was never seen. Stays {@code true} until the next {@link #hold()} or {@link #release()}.
	 * @return {@code true} after a hold timed out
	 */
	boolean hasHoldExpired() {
		return this.holding && System.nanoTime() - this.holdDeadlineNanos >= 0;
	}

	@Override
	public boolean canHoldWrites() {
		return this.holdEnabled;
	}

	@Override
	public boolean isHoldingWrites() {
		// A hold past its maximum is over even before a write comes along to notice.
		return this.holding && System.nanoTime() - this.holdDeadlineNanos < 0;
	}

	/**
	 * {@inheritDoc}
	 * @throws RedisSystemException when the waiting thread is interrupted, as Spring Data throws for an interrupted
	 * Lettuce command; the thread's interrupt flag stays set
	 */
	@Override
	public void awaitWritesReleased() {
		long attemptDeadline = System.nanoTime() + this.waitPerAttemptNanos;
		this.lock.lock();
		try {
			while (this.holding) {
				long now = System.nanoTime();
				if (now - this.holdDeadlineNanos >= 0) {
					// No end of the failover was announced in time: stop holding rather than block writes for good.
					// The hold stays marked as expired (not released) so that the source can forget that failover;
					// other waiters wake up at the same deadline by themselves.
					return;
				}
				if (now - attemptDeadline >= 0) {
					throw new WritesHeldException(Duration.ofNanos(this.waitPerAttemptNanos));
				}
				this.released.awaitNanos(Math.min(attemptDeadline, this.holdDeadlineNanos) - now);
			}
		}
		catch (InterruptedException ex) {
			// A checked exception would leave the connection proxy as UndeclaredThrowableException; this one is
			// what the caller already handles for an interrupted command, and is not retried.
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Redis command interrupted while writes were held for a failover",
					new RedisCommandInterruptedException(ex));
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public long holdsBegun() {
		return this.holdsBegun.get();
	}

	@Override
	public boolean confirmsWrites() {
		return this.waitReplicas > 0;
	}

	@Override
	public void confirmWrite(Object nativeConnection) {
		// WAIT covers every write sent so far on the native connection, this one included.
		if (!(nativeConnection instanceof BaseRedisAsyncCommands<?, ?> commands)) {
			throw new IllegalStateException("WAIT needs a Lettuce connection, not " + nativeConnection);
		}
		Long acknowledged = LettuceFutures.awaitOrCancel(
				commands.waitForReplication(this.waitReplicas, this.waitTimeoutMillis), this.waitPerAttemptNanos,
				TimeUnit.NANOSECONDS);
		if (acknowledged == null || acknowledged < this.waitReplicas) {
			throw new ReplicaAcknowledgementException(this.waitReplicas, (acknowledged != null) ? acknowledged : 0,
					this.waitTimeoutMillis);
		}
	}

}
