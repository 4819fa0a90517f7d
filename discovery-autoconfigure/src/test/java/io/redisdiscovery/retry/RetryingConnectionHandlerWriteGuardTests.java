package io.redisdiscovery.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisConnectionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class RetryingConnectionHandlerWriteGuardTests {

	private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

	private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

	private final Retry retry = Retry.of("test",
			RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build());

	private final RecordingGuard guard = new RecordingGuard();

	private final CommandRetry commandRetry = new CommandRetry(this.retry, false, RecoveryAction.NONE, this.guard);

	private final List<RedisConnection> acquired = new ArrayList<>();

	@Test
	void heldWriteShouldWaitThenRunOnFreshConnection() {
		this.guard.holding = true;
		RedisConnection first = connection();
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.stringCommands().set(KEY, VALUE);
		assertThat(this.guard.awaited).isOne();
		assertThat(this.acquired).hasSize(1);
		verify(this.acquired.get(0).stringCommands()).set(KEY, VALUE);
		verify(first.stringCommands(), never()).set(KEY, VALUE);
	}

	@Test
	void readShouldNotWaitWhileWritesAreHeld() {
		this.guard.holding = true;
		RedisConnection first = connection();
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.stringCommands().get(KEY);
		assertThat(this.guard.awaited).isZero();
		assertThat(this.acquired).isEmpty();
		verify(first.stringCommands()).get(KEY);
	}

	@Test
	void writeShouldBeConfirmedOnTheConnectionItRanOn() {
		this.guard.confirming = true;
		RedisConnection first = connection();
		Object nativeConnection = new Object();
		given(first.getNativeConnection()).willReturn(nativeConnection);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.stringCommands().set(KEY, VALUE);
		connection.stringCommands().get(KEY);
		assertThat(this.guard.confirmed).containsExactly(nativeConnection);
	}

	/**
	 * The write before a failed {@code WAIT} was applied: a failure that alone would be "not sent" must not send a
	 * write that is not idempotent again.
	 */
	@Test
	void nonIdempotentWriteWhoseConfirmationFailsShouldNotBeSentAgain() {
		this.guard.confirming = true;
		RedisConnectionException lost = new RedisConnectionException("Connection closed");
		this.guard.confirmFailure = lost;
		RedisConnection first = connection();
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		assertThatExceptionOfType(RedisConnectionException.class)
			.isThrownBy(() -> connection.stringCommands().incr(KEY))
			.isSameAs(lost);
		verify(first.stringCommands()).incr(KEY);
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void idempotentWriteWhoseConfirmationFailsShouldBeSentAgain() {
		this.guard.confirming = true;
		this.guard.confirmFailure = new RedisConnectionException("Connection closed");
		RedisConnection first = connection();
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.stringCommands().set(KEY, VALUE);
		assertThat(this.acquired).hasSize(1);
		verify(this.acquired.get(0).stringCommands()).set(KEY, VALUE);
		assertThat(this.guard.confirmed).hasSize(2);
	}

	@Test
	void transactionDuringWhichAHoldBeganShouldBeDiscardedAndSentAgainOnAFreshConnection() {
		RedisConnection first = connection();
		given(first.isQueueing()).willReturn(true);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.multi();
		connection.stringCommands().set(KEY, VALUE);
		this.guard.holdsBegun++;
		connection.exec();
		verify(first).discard();
		verify(first, never()).exec();
		assertThat(this.acquired).hasSize(1);
		RedisConnection fresh = this.acquired.get(0);
		verify(fresh).multi();
		verify(fresh.stringCommands()).set(KEY, VALUE);
		verify(fresh).exec();
	}

	@Test
	void transactionWithoutAHoldShouldRunOnceOnItsConnection() {
		RedisConnection first = connection();
		given(first.isQueueing()).willReturn(true);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.multi();
		connection.stringCommands().set(KEY, VALUE);
		connection.exec();
		verify(first).exec();
		verify(first, never()).discard();
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void watchedTransactionDuringWhichAHoldBeganShouldBeDiscardedAndReported() {
		RedisConnection first = connection();
		given(first.isQueueing()).willReturn(true);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.watch(KEY);
		connection.multi();
		connection.stringCommands().set(KEY, VALUE);
		this.guard.holdsBegun++;
		assertThatExceptionOfType(MasterChangedException.class).isThrownBy(connection::exec)
			.withMessageContaining("not applied");
		verify(first).discard();
		verify(first, never()).exec();
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void pipelineWithANonIdempotentWriteDuringWhichAHoldBeganShouldBeReported() {
		RedisConnection first = connection();
		given(first.isPipelined()).willReturn(true);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.openPipeline();
		connection.stringCommands().incr(KEY);
		this.guard.holdsBegun++;
		assertThatExceptionOfType(MasterChangedException.class).isThrownBy(connection::closePipeline)
			.withMessageContaining("may or may not have been applied");
		verify(first).closePipeline();
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void pipelineOfIdempotentWritesDuringWhichAHoldBeganShouldBeSentAgain() {
		RedisConnection first = connection();
		given(first.isPipelined()).willReturn(true);
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.openPipeline();
		connection.stringCommands().set(KEY, VALUE);
		this.guard.holdsBegun++;
		connection.closePipeline();
		RedisConnection fresh = this.acquired.get(0);
		verify(fresh).openPipeline();
		verify(fresh.stringCommands()).set(KEY, VALUE);
		verify(fresh).closePipeline();
	}

	@Test
	void transactionBegunWhileWritesAreHeldShouldWaitAndUseAFreshConnection() {
		this.guard.holding = true;
		RedisConnection first = connection();
		RedisConnection connection = RetryingConnectionHandler.wrap(first, this::nextConnection, this.commandRetry);
		connection.multi();
		assertThat(this.guard.awaited).isOne();
		verify(first, never()).multi();
		verify(this.acquired.get(0)).multi();
	}

	@Test
	void readOnlyCommandsShouldKnowReadsAndTreatUnknownAsWrites() throws Exception {
		assertThat(ReadOnlyCommands.isReadOnly(RedisStringCommands.class.getMethod("get", byte[].class),
				new Object[] { KEY })).isTrue();
		assertThat(ReadOnlyCommands.isReadOnly(
				RedisStringCommands.class.getMethod("set", byte[].class, byte[].class), new Object[] { KEY, VALUE }))
			.isFalse();
		assertThat(ReadOnlyCommands.isReadOnly(RedisConnection.class.getMethod("execute", String.class, byte[][].class),
				new Object[] { "MGET", new byte[][] { KEY } })).isTrue();
		assertThat(ReadOnlyCommands.isReadOnly(RedisConnection.class.getMethod("execute", String.class, byte[][].class),
				new Object[] { "SOMENEWCOMMAND", new byte[][] { KEY } })).isFalse();
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

	static final class RecordingGuard implements WriteGuard {

		boolean holding;

		boolean confirming;

		int awaited;

		long holdsBegun;

		final List<Object> confirmed = new ArrayList<>();

		@Nullable Exception confirmFailure;

		@Override
		public boolean canHoldWrites() {
			return true;
		}

		@Override
		public long holdsBegun() {
			return this.holdsBegun;
		}

		@Override
		public boolean isHoldingWrites() {
			return this.holding;
		}

		@Override
		public void awaitWritesReleased() {
			this.awaited++;
			this.holding = false;
		}

		@Override
		public boolean confirmsWrites() {
			return this.confirming;
		}

		@Override
		public void confirmWrite(Object nativeConnection) throws Exception {
			this.confirmed.add(nativeConnection);
			Exception failure = this.confirmFailure;
			if (failure != null) {
				this.confirmFailure = null;
				throw failure;
			}
		}

	}

}
