package io.redisdiscovery.retry;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * Lets a discovery mode hold writes while the master changes, and confirm writes after they succeed; called
 * around every attempt of a write, so the checks must be cheap.
 *
 * @since 0.1.0
 */
public interface WriteGuard {

	/**
	 * A guard that never holds and never confirms.
	 */
	WriteGuard NONE = new WriteGuard() {

		@Override
		public boolean isHoldingWrites() {
			return false;
		}

		@Override
		public void awaitWritesReleased() {
		}

	};

	/**
	 * Whether this guard ever holds writes; must not block or allocate.
	 * @return {@code true} when {@link #isHoldingWrites()} can become {@code true}
	 */
	default boolean canHoldWrites() {
		return false;
	}

	/**
	 * Whether writes are held now; must not block or allocate.
	 * @return {@code true} while writes must wait
	 */
	boolean isHoldingWrites();

	/**
	 * Blocks a write until writes are released. An interrupted wait ends with an unchecked
	 * {@link org.springframework.dao.DataAccessException} for an interrupted command (Spring Data throws
	 * {@code RedisSystemException} for one) and the thread's interrupt flag set: the caller is a connection proxy,
	 * which turns a checked exception its method does not declare into {@code UndeclaredThrowableException}.
	 * @throws Exception a failure classified as not sent (so the retry policy decides) when the wait exceeds its
	 * bound
	 */
	void awaitWritesReleased() throws Exception;

	/**
	 * Whether {@link #confirmWrite} must run after each successful write; must not block or allocate.
	 * @return {@code true} to confirm writes
	 */
	default boolean confirmsWrites() {
		return false;
	}

	/**
	 * Confirms a write that succeeded, for example with {@code WAIT}.
	 * @param nativeConnection the native connection the write ran on, as
	 * {@link RedisConnection#getNativeConnection()} returned it while the write was sent (a transaction's or a
	 * pipeline's dedicated connection, for example)
	 * @throws Exception when the write cannot be confirmed
	 */
	default void confirmWrite(Object nativeConnection) throws Exception {
	}

	/**
	 * How many holds have begun so far. A transaction or pipeline that began before the current count may have sent
	 * its writes to a master that was being replaced.
	 * @return a number that grows by one with each hold
	 */
	default long holdsBegun() {
		return 0;
	}

}
