package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Which connections the handle gives back for reuse (closes) and which it discards: with pooling, a discarded
 * connection's dedicated connection is closed instead of being lent to the next caller.
 */
class RetryingConnectionHandlerDiscardTests {

	private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

	private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

	private final CommandRetry retry = new CommandRetry(
			Retry.of("test", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build()), false,
			RecoveryAction.NONE, WriteGuard.NONE);

	private final List<RedisConnection> acquired = new ArrayList<>();

	private final List<RedisConnection> discarded = new ArrayList<>();

	@Test
	void connectionReplacedByTheRetryShouldBeDiscarded() {
		RedisConnection first = connection();
		given(first.stringCommands().get(KEY)).willThrow(new RedisConnectionException("Connection closed"));
		RedisConnection connection = wrap(first);
		assertThat(connection.stringCommands().get(KEY)).isEqualTo(VALUE);
		assertThat(this.discarded).containsExactly(first);
		verify(first, never()).close();
		connection.close();
		// The replacement served the command: it goes back for reuse.
		verify(this.acquired.get(0)).close();
		assertThat(this.discarded).containsExactly(first);
	}

	@Test
	void connectionOnWhichACallFailedShouldBeDiscardedOnClose() {
		RedisConnection first = connection();
		given(first.stringCommands().get(KEY)).willThrow(new RedisCommandExecutionException("WRONGTYPE"));
		RedisConnection connection = wrap(first);
		assertThatException().isThrownBy(() -> connection.stringCommands().get(KEY));
		connection.close();
		assertThat(this.discarded).containsExactly(first);
		verify(first, never()).close();
	}

	@Test
	void connectionClosedWhileWatchingShouldBeDiscarded() {
		RedisConnection first = connection();
		RedisConnection connection = wrap(first);
		connection.watch(KEY);
		connection.close();
		assertThat(this.discarded).containsExactly(first);
		verify(first, never()).close();
	}

	@Test
	void connectionClosedAfterUnwatchShouldBeClosedForReuse() {
		RedisConnection first = connection();
		RedisConnection connection = wrap(first);
		connection.watch(KEY);
		connection.unwatch();
		connection.close();
		assertThat(this.discarded).isEmpty();
		verify(first).close();
	}

	@Test
	void connectionClosedInsideATransactionShouldBeDiscarded() {
		RedisConnection first = connection();
		given(first.isQueueing()).willReturn(true);
		RedisConnection connection = wrap(first);
		connection.multi();
		connection.stringCommands().set(KEY, VALUE);
		connection.close();
		assertThat(this.discarded).containsExactly(first);
	}

	@Test
	void connectionOfACompletedTransactionShouldBeClosedForReuse() {
		RedisConnection first = connection();
		given(first.isQueueing()).willReturn(true);
		RedisConnection connection = wrap(first);
		connection.multi();
		connection.stringCommands().set(KEY, VALUE);
		connection.exec();
		connection.close();
		assertThat(this.discarded).isEmpty();
		verify(first).close();
	}

	private RedisConnection wrap(RedisConnection first) {
		return RetryingConnectionHandler.wrap(first, this::nextConnection, this.retry, this.discarded::add);
	}

	private RedisConnection nextConnection() {
		RedisConnection connection = connection();
		this.acquired.add(connection);
		return connection;
	}

	private static RedisConnection connection() {
		RedisConnection connection = mock(RedisConnection.class);
		RedisStringCommands strings = mock(RedisStringCommands.class);
		given(connection.stringCommands()).willReturn(strings);
		given(strings.set(KEY, VALUE)).willReturn(true);
		given(strings.get(KEY)).willReturn(VALUE);
		return connection;
	}

}
