package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.internal.ExceptionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class StalledConnectionGuardTests {

	private final AtomicInteger resets = new AtomicInteger();

	@Test
	void consecutiveTimeoutsShouldReplaceTheConnection() {
		StalledConnectionGuard guard = new StalledConnectionGuard(2, Duration.ofMinutes(1), this.resets::incrementAndGet);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).hasValue(0);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).hasValue(1);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).as("a new streak starts after a reset").hasValue(1);
	}

	@Test
	void aSuccessShouldEndTheStreak() {
		StalledConnectionGuard guard = new StalledConnectionGuard(2, Duration.ofMinutes(1), this.resets::incrementAndGet);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		guard.afterSuccess();
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).as("not in a row: the connection answered in between").hasValue(0);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).hasValue(1);
	}

	@Test
	void otherFailuresShouldNotCount() {
		StalledConnectionGuard guard = new StalledConnectionGuard(2, Duration.ofMinutes(1), this.resets::incrementAndGet);
		guard.afterFailure(FailureKind.MAYBE_SENT, new RedisException("Connection disconnected"));
		guard.afterFailure(FailureKind.NOT_SENT, new RedisException("Currently not connected"));
		assertThat(this.resets).hasValue(0);
	}

	@Test
	void blockingCommandTimeoutsShouldNotCount() {
		StalledConnectionGuard guard = new StalledConnectionGuard(2, Duration.ofMinutes(1), this.resets::incrementAndGet);
		guard.afterFailure(FailureKind.MAYBE_SENT, expired("BLPOP", Duration.ofSeconds(7)));
		guard.afterFailure(FailureKind.MAYBE_SENT, expired("XREADGROUP", Duration.ofSeconds(5)));
		guard.afterFailure(FailureKind.MAYBE_SENT, expired("BRPOP", Duration.ofSeconds(7)));
		assertThat(this.resets).hasValue(0);
		guard.afterFailure(FailureKind.MAYBE_SENT, expired("GET", Duration.ofSeconds(2)));
		guard.afterFailure(FailureKind.MAYBE_SENT, expired("SET", Duration.ofSeconds(2)));
		assertThat(this.resets).as("ordinary commands still count").hasValue(1);
	}

	@Test
	void timeoutsFarApartShouldNotCount() {
		StalledConnectionGuard guard = new StalledConnectionGuard(2, Duration.ZERO, this.resets::incrementAndGet);
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		guard.afterFailure(FailureKind.MAYBE_SENT, timeout());
		assertThat(this.resets).hasValue(0);
	}

	/**
	 * A timeout as Lettuce's command expiry reports it.
	 */
	private static RuntimeException expired(String command, Duration timeout) {
		return new QueryTimeoutException("Redis command timed out",
				ExceptionFactory.createTimeoutException(command, timeout));
	}

	private static RuntimeException timeout() {
		return new QueryTimeoutException("Redis command timed out", new RedisCommandTimeoutException("timed out"));
	}

}
