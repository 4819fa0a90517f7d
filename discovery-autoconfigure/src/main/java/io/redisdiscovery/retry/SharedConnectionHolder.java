package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The connection a factory shares between its handles, set up without a lock.
 * <p>
 * Spring Data's factory dials its shared connection while it holds the factory's lock, and takes the same lock to
 * reset it. When the master hung (its kernel accepts, nothing answers), a command that dialed it held that lock for
 * the whole handshake timeout, and moving the connections to the new master waited for it. Here the first caller
 * that finds no connection starts a dial on the dialer's thread, and every caller waits on that dial's future, never
 * on a lock. A {@link #reset()} returns at once: it forgets the dial in progress, whose connection is released when
 * it completes, and the callers waiting on it go on to the next dial, to wherever the client resolves now.
 * <p>
 * The state is one reference: no dial yet (or the last one failed or was forgotten), or the current dial's future.
 *
 * @since 0.1.0
 */
final class SharedConnectionHolder {

	/** Resets while one caller waits are bounded by the failovers that cause them; a few in a row mean a storm. */
	private static final int MAX_FORGOTTEN_DIALS = 3;

	private final Supplier<StatefulConnection<?, ?>> dial;

	private final Consumer<StatefulConnection<?, ?>> release;

	private final Executor dialer;

	private final Duration dialBound;

	private final AtomicReference<@Nullable CompletableFuture<StatefulConnection<?, ?>>> current = new AtomicReference<>();

	/**
	 * Creates a holder.
	 * @param dial opens a connection, blocking until it is ready or failed (the connection provider)
	 * @param release gives a connection back (the connection provider)
	 * @param dialer runs the dials
	 * @param dialBound how long a caller waits for a dial; Lettuce bounds the dial itself (connect and handshake
	 * timeouts), so this is a safety net above those
	 */
	SharedConnectionHolder(Supplier<StatefulConnection<?, ?>> dial, Consumer<StatefulConnection<?, ?>> release,
			Executor dialer, Duration dialBound) {
		this.dial = dial;
		this.release = release;
		this.dialer = dialer;
		this.dialBound = dialBound;
	}

	/**
	 * The shared connection, dialed if there is none.
	 * @return the connection
	 * @throws RuntimeException what the dial threw, or a {@link RedisConnectionFailureException} when it took too long
	 */
	StatefulConnection<?, ?> get() {
		for (int forgotten = 0;; forgotten++) {
			CompletableFuture<StatefulConnection<?, ?>> dial = currentOrNewDial();
			try {
				return await(dial);
			}
			catch (DialForgottenException ex) {
				if (forgotten == MAX_FORGOTTEN_DIALS) {
					throw new RedisConnectionFailureException("The shared Redis connection was reset "
							+ (MAX_FORGOTTEN_DIALS + 1) + " times while it was being set up", ex);
				}
			}
		}
	}

	/**
	 * The shared connection, dialed if there is none, and first checked with a {@code PING} when asked to: one that
	 * does not answer is replaced, as Spring Data's factory does with its own.
	 * @param validate whether to check it
	 * @return the connection
	 */
	StatefulConnection<?, ?> get(boolean validate) {
		StatefulConnection<?, ?> connection = get();
		if (!validate || answersPing(connection)) {
			return connection;
		}
		reset(connection);
		return get();
	}

	private static boolean answersPing(StatefulConnection<?, ?> connection) {
		try {
			if (connection instanceof StatefulRedisConnection<?, ?> redis) {
				redis.sync().ping();
			}
			else if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
				cluster.sync().ping();
			}
			return connection.isOpen();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * The connection, if one is set up; no dial starts.
	 * @return the connection, or {@code null}
	 */
	@Nullable StatefulConnection<?, ?> getIfReady() {
		CompletableFuture<StatefulConnection<?, ?>> dial = this.current.get();
		return (dial != null && dial.isDone() && !dial.isCompletedExceptionally()) ? dial.join() : null;
	}

	/**
	 * Forgets the connection or the dial in progress, at once: a ready connection is released now, on the calling
	 * thread; one still being dialed is released when it is ready. The next {@link #get()} dials again.
	 */
	void reset() {
		forget(this.current.getAndSet(null));
	}

	/**
	 * Forgets {@code connection} if it is still the shared one, as {@link #reset()} does.
	 * @param connection a connection {@link #get()} returned
	 * @return whether it was the shared one, and is released now
	 */
	boolean reset(StatefulConnection<?, ?> connection) {
		CompletableFuture<StatefulConnection<?, ?>> dial = this.current.get();
		if (dial != null && getIfReady() == connection && this.current.compareAndSet(dial, null)) {
			forget(dial);
			return true;
		}
		return false;
	}

	private void forget(@Nullable CompletableFuture<StatefulConnection<?, ?>> dial) {
		if (dial == null) {
			return;
		}
		// Exactly one side releases: this one if the dial had completed, the dial's task if it completes later.
		if (!dial.completeExceptionally(new DialForgottenException()) && !dial.isCompletedExceptionally()) {
			this.release.accept(dial.join());
		}
	}

	private CompletableFuture<StatefulConnection<?, ?>> currentOrNewDial() {
		CompletableFuture<StatefulConnection<?, ?>> existing = this.current.get();
		if (existing != null) {
			return existing;
		}
		CompletableFuture<StatefulConnection<?, ?>> fresh = new CompletableFuture<>();
		if (!this.current.compareAndSet(null, fresh)) {
			CompletableFuture<StatefulConnection<?, ?>> other = this.current.get();
			return (other != null) ? other : currentOrNewDial();
		}
		this.dialer.execute(() -> runDial(fresh));
		return fresh;
	}

	private void runDial(CompletableFuture<StatefulConnection<?, ?>> future) {
		StatefulConnection<?, ?> connection;
		try {
			connection = this.dial.get();
		}
		catch (Throwable ex) {
			// The next caller dials again, as Spring Data's factory does after a failed connect.
			this.current.compareAndSet(future, null);
			future.completeExceptionally(ex);
			return;
		}
		if (!future.complete(connection)) {
			// Forgotten while it was dialed: a reset meant another address.
			this.release.accept(connection);
		}
	}

	private StatefulConnection<?, ?> await(CompletableFuture<StatefulConnection<?, ?>> dial) {
		if (dial.isDone() && !dial.isCompletedExceptionally()) {
			return dial.join();
		}
		try {
			return dial.get(this.dialBound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof DialForgottenException forgotten) {
				throw forgotten;
			}
			throw CauseChain.unchecked(ex.getCause(), "Could not set up the shared Redis connection");
		}
		catch (TimeoutException ex) {
			if (this.current.compareAndSet(dial, null)) {
				forget(dial);
			}
			throw new RedisConnectionFailureException(
					"No shared Redis connection within " + this.dialBound.toMillis() + " ms", ex);
		}
		catch (CancellationException ex) {
			throw new RedisConnectionFailureException("The shared Redis connection's dial was cancelled", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while the shared Redis connection was set up", ex);
		}
	}

	/** Ends the waits on a dial that a reset forgot; the callers go on to the next dial. */
	private static final class DialForgottenException extends RuntimeException {

		DialForgottenException() {
			super("The shared connection was reset while it was being set up", null, false, false);
		}

	}

}
