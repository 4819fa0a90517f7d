package io.redisdiscovery.retry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * A failure and its causes, outermost first: the one walk every classifier of failures needs. Bounded in depth and
 * safe against cause cycles, which some libraries build.
 *
 * @since 0.1.0
 */
public final class CauseChain {

	private static final int MAX_DEPTH = 16;

	private CauseChain() {
	}

	/**
	 * The failure and its causes.
	 * @param failure the failure
	 * @return the failure first, then each cause in turn
	 */
	public static List<Throwable> of(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable current = failure; current != null && chain.size() < MAX_DEPTH && seen.add(current);
				current = current.getCause()) {
			chain.add(current);
		}
		return chain;
	}

	/**
	 * The outermost failure in the chain of the given type.
	 * @param <T> the type
	 * @param failure the failure
	 * @param type the type looked for
	 * @return the failure of that type, or {@code null} when none is in the chain
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable current : of(failure)) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
		}
		return null;
	}

	/**
	 * Whether the failure or one of its causes matches.
	 * @param failure the failure
	 * @param test the test
	 * @return {@code true} when one does
	 */
	public static boolean anyMatch(Throwable failure, Predicate<Throwable> test) {
		return of(failure).stream().anyMatch(test);
	}

	/**
	 * The innermost cause.
	 * @param failure the failure
	 * @return its root cause, or the failure itself when it has none
	 */
	public static Throwable root(Throwable failure) {
		List<Throwable> chain = of(failure);
		return chain.get(chain.size() - 1);
	}

	/**
	 * The failure of a dial that a future reported, for the caller to throw: unchecked failures as they are, so
	 * Spring Data's translated exceptions reach the caller unchanged; an {@link Error} is thrown here; anything
	 * else wrapped.
	 * @param cause the future's failure
	 * @param message the message when the failure is wrapped
	 * @return the exception to throw
	 */
	static RuntimeException unchecked(@Nullable Throwable cause, String message) {
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new RedisConnectionFailureException(message, cause);
	}

}
