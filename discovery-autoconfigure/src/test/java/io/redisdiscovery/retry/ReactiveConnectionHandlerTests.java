package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redisdiscovery.retry.RetryingConnectionHandlerWriteGuardTests.RecordingGuard;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.ReactiveNumberCommands;
import org.springframework.data.redis.connection.ReactivePubSubCommands;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveStringCommands;
import org.springframework.data.redis.connection.ReactiveStringCommands.SetCommand;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@link RetryingReactiveConnectionHandler} with fake connections.
 */
class ReactiveConnectionHandlerTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final ByteBuffer KEY = ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8));

	private static final ByteBuffer VALUE = ByteBuffer.wrap("v".getBytes(StandardCharsets.UTF_8));

	private final Retry retry = Retry.of("test",
			RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build());

	private final RecordingGuard guard = new RecordingGuard();

	private final ReactiveCommandRetry reactiveRetry = new ReactiveCommandRetry(
			new CommandRetry(this.retry, false, RecoveryAction.NONE, this.guard));

	/** Connections taken from the fake factory after the first, in order. */
	private final List<ReactiveRedisConnection> acquired = new ArrayList<>();

	@Test
	void retryShouldSubscribeAgainOnAFreshConnectionFromTheFactory() {
		ReactiveRedisConnection first = connection();
		given(first.stringCommands().get(KEY)).willReturn(Mono.error(notSent()));
		ReactiveRedisConnection connection = wrap(first);
		assertThat(connection.stringCommands().get(KEY).block(BLOCK)).isEqualTo(VALUE);
		assertThat(this.acquired).hasSize(1);
		verify(first.stringCommands()).get(KEY);
		verify(this.acquired.get(0).stringCommands()).get(KEY);
	}

	@Test
	void incrementThatMayHaveReachedTheServerShouldNotBeRetried() {
		ReactiveRedisConnection first = connection();
		given(first.numberCommands().incr(KEY)).willReturn(Mono.error(new RedisException("Connection disconnected")));
		ReactiveRedisConnection connection = wrap(first);
		assertThatExceptionOfType(RedisException.class)
			.isThrownBy(() -> connection.numberCommands().incr(KEY).block(BLOCK));
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void failedAcquisitionShouldBeRetriedByTheFirstCommand() {
		AtomicReference<Integer> calls = new AtomicReference<>(0);
		ReactiveRedisConnection connection = (ReactiveRedisConnection) RetryingReactiveConnectionHandler
			.wrap(ReactiveRedisConnection.class, null, () -> {
				calls.set(calls.get() + 1);
				if (calls.get() == 1) {
					throw notSent();
				}
				return nextConnection();
			}, this.reactiveRetry, (ignored) -> Mono.empty());
		assertThat(connection.stringCommands().get(KEY).block(BLOCK)).isEqualTo(VALUE);
		assertThat(calls.get()).isEqualTo(2);
		assertThat(this.retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
	}

	@Test
	void heldWriteShouldWaitOffTheSubscribingThreadThenRunOnAFreshConnection() {
		this.guard.holding = true;
		ReactiveRedisConnection first = connection();
		ReactiveRedisConnection connection = wrap(first);
		AtomicReference<String> thread = new AtomicReference<>();
		assertThat(connection.stringCommands()
			.set(KEY, VALUE)
			.doOnNext((ignored) -> thread.set(Thread.currentThread().getName()))
			.block(BLOCK)).isTrue();
		assertThat(this.guard.awaited).isOne();
		assertThat(thread.get()).contains("boundedElastic");
		assertThat(this.acquired).hasSize(1);
		verify(this.acquired.get(0).stringCommands()).set(KEY, VALUE);
		verify(first.stringCommands(), never()).set(KEY, VALUE);
	}

	@Test
	void writeShouldBeConfirmedOnTheNativeConnectionItRanOnBeforeItsResultIsEmitted() {
		this.guard.confirming = true;
		ReactiveRedisConnection first = connection();
		StatefulRedisConnection<?, ?> nativeConnection = mock(StatefulRedisConnection.class);
		RedisAsyncCommands<?, ?> async = mock(RedisAsyncCommands.class);
		given(nativeConnection.async()).willAnswer((invocation) -> async);
		ReactiveRedisConnection connection = (ReactiveRedisConnection) RetryingReactiveConnectionHandler.wrap(
				ReactiveRedisConnection.class, first, this::nextConnection, this.reactiveRetry,
				(used) -> (used == first) ? Mono.just(nativeConnection) : Mono.empty());
		AtomicReference<Integer> confirmedBeforeResult = new AtomicReference<>();
		connection.stringCommands()
			.set(KEY, VALUE)
			.doOnNext((ignored) -> confirmedBeforeResult.set(this.guard.confirmed.size()))
			.block(BLOCK);
		assertThat(confirmedBeforeResult.get()).isOne();
		assertThat(this.guard.confirmed.get(0)).isSameAs(async);
		assertThat(connection.stringCommands().get(KEY).block(BLOCK)).isEqualTo(VALUE);
		assertThat(this.guard.confirmed).hasSize(1);
	}

	@Test
	void readShouldNotWaitWhileWritesAreHeld() {
		this.guard.holding = true;
		ReactiveRedisConnection first = connection();
		ReactiveRedisConnection connection = wrap(first);
		assertThat(connection.stringCommands().get(KEY).block(BLOCK)).isEqualTo(VALUE);
		assertThat(this.guard.awaited).isZero();
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void callersStreamOfCommandsShouldBeSentOnce() {
		ReactiveRedisConnection first = connection();
		Flux<SetCommand> commands = Flux.just(SetCommand.set(KEY).value(VALUE), SetCommand.set(VALUE).value(KEY));
		given(first.stringCommands().set(commands)).willReturn(Flux.error(notSent()));
		ReactiveRedisConnection connection = wrap(first);
		assertThatExceptionOfType(RedisConnectionFailureException.class)
			.isThrownBy(() -> connection.stringCommands().set(commands).blockLast(BLOCK));
		verify(first.stringCommands(), times(1)).set(commands);
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void conditionalSetGivenAsCommandShouldNotBeRetriedWhenItMayHaveReachedTheServer() {
		ReactiveRedisConnection first = connection();
		Mono<SetCommand> command = Mono.just(SetCommand.set(KEY)
			.value(VALUE)
			.withSetOption(SetOption.SET_IF_ABSENT));
		given(first.stringCommands().set(command))
			.willReturn(Flux.error(new RedisException("Connection disconnected")));
		ReactiveRedisConnection connection = wrap(first);
		assertThatExceptionOfType(RedisException.class)
			.isThrownBy(() -> connection.stringCommands().set(command).blockLast(BLOCK));
		assertThat(this.acquired).isEmpty();
	}

	@Test
	void pubSubShouldStayOnItsConnection() {
		ReactiveRedisConnection first = connection();
		ReactivePubSubCommands pubSub = mock(ReactivePubSubCommands.class);
		given(first.pubSubCommands()).willReturn(pubSub);
		ReactiveRedisConnection connection = wrap(first);
		assertThat(connection.pubSubCommands()).isSameAs(pubSub);
	}

	@Test
	void closeShouldCloseReplacedConnectionsToo() {
		ReactiveRedisConnection first = connection();
		given(first.stringCommands().get(KEY)).willReturn(Mono.error(notSent()));
		ReactiveRedisConnection connection = wrap(first);
		connection.stringCommands().get(KEY).block(BLOCK);
		connection.closeLater().block(BLOCK);
		verify(first).closeLater();
		verify(this.acquired.get(0)).closeLater();
	}

	private ReactiveRedisConnection wrap(ReactiveRedisConnection first) {
		return (ReactiveRedisConnection) RetryingReactiveConnectionHandler.wrap(ReactiveRedisConnection.class, first,
				this::nextConnection, this.reactiveRetry, (ignored) -> Mono.empty());
	}

	private ReactiveRedisConnection nextConnection() {
		ReactiveRedisConnection connection = connection();
		this.acquired.add(connection);
		return connection;
	}

	private static ReactiveRedisConnection connection() {
		ReactiveRedisConnection connection = mock(ReactiveRedisConnection.class);
		ReactiveStringCommands strings = mock(ReactiveStringCommands.class);
		ReactiveNumberCommands numbers = mock(ReactiveNumberCommands.class);
		given(connection.stringCommands()).willReturn(strings);
		given(connection.numberCommands()).willReturn(numbers);
		given(connection.closeLater()).willReturn(Mono.empty());
		given(strings.get(KEY)).willReturn(Mono.just(VALUE));
		given(strings.set(KEY, VALUE)).willReturn(Mono.just(true));
		given(strings.set(any(Flux.class))).willReturn(Flux.empty());
		return connection;
	}

	private static RedisConnectionFailureException notSent() {
		return new RedisConnectionFailureException("Unable to connect", new RedisConnectionException("refused"));
	}

}
