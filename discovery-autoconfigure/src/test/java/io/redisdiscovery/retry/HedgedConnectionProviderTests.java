package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * What becomes of the dial that loses a race, and when a race dials again, with dials completed by hand: that racing
 * them gets past a frozen backend is covered by {@link HedgedDialIntegrationTests}.
 */
class HedgedConnectionProviderTests {

	private final ManualDials dials = new ManualDials();

	/** Both dials at once, as while a path is suspected dead. */
	private final HedgedConnectionProvider provider = new HedgedConnectionProvider(this.dials, Runnable::run,
			Duration.ofSeconds(10), () -> true, false);

	@Test
	void theLoserShouldBeReleasedOnceReady() {
		CompletableFuture<StatefulConnection> winner = race();
		StatefulConnection<?, ?> first = mock(StatefulRedisConnection.class);
		this.dials.pending.get(0).complete(first);
		StatefulConnection<?, ?> loser = mock(StatefulRedisConnection.class);
		this.dials.pending.get(1).complete(loser);
		assertThat(winner.join()).isSameAs(first);
		assertThat(this.dials.released).containsExactly(loser);
	}

	@Test
	void aRaceWhoseDialsBothHangShouldDialAgain() {
		// Other races took turns at the balancer between this race's two dials: both went to the frozen backend.
		CompletableFuture<StatefulConnection> winner = race();
		await("a third dial").atMost(Duration.ofSeconds(5)).until(() -> this.dials.pending.size() >= 3);
		StatefulConnection<?, ?> third = mock(StatefulRedisConnection.class);
		this.dials.pending.get(2).complete(third);
		assertThat(winner.join()).isSameAs(third);
		StatefulConnection<?, ?> late = mock(StatefulRedisConnection.class);
		this.dials.pending.get(0).complete(late);
		assertThat(this.dials.released).containsExactly(late);
	}

	@Test
	void aRaceShouldStopDialingAtTheBound() {
		race();
		await("dials up to the bound").atMost(Duration.ofSeconds(5))
			.until(() -> this.dials.pending.size() == HedgedConnectionProvider.MAX_RACING_DIALS);
		// Ten times the interval between dials: no more come.
		await("no dial past the bound").during(QuickCommands.SILENCE.multipliedBy(10))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.dials.pending.size() == HedgedConnectionProvider.MAX_RACING_DIALS);
	}

	@Test
	void aRaceToOneServerShouldDialOnce() {
		HedgedConnectionProvider oneServer = new HedgedConnectionProvider(this.dials, Runnable::run,
				Duration.ofSeconds(10), () -> true, true);
		CompletableFuture<StatefulConnection> winner = oneServer.getConnectionAsync(StatefulConnection.class)
			.toCompletableFuture();
		// Ten times the interval between a race's dials: another dial would reach the same server, so none comes.
		await("no second dial").during(QuickCommands.SILENCE.multipliedBy(10))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.dials.pending.size() == 1);
		StatefulConnection<?, ?> only = mock(StatefulRedisConnection.class);
		this.dials.pending.get(0).complete(only);
		assertThat(winner.join()).isSameAs(only);
	}

	private CompletableFuture<StatefulConnection> race() {
		CompletableFuture<StatefulConnection> winner = this.provider.getConnectionAsync(StatefulConnection.class)
			.toCompletableFuture();
		// A third may have followed already on a slow machine.
		assertThat(this.dials.pending).as("dials started at once").hasSizeGreaterThanOrEqualTo(2);
		return winner;
	}

	/** Dials that complete when the test says so. */
	private static final class ManualDials implements LettuceConnectionProvider {

		// Dials again come from the timer's thread.
		final List<CompletableFuture<StatefulConnection<?, ?>>> pending = new CopyOnWriteArrayList<>();

		final List<StatefulConnection<?, ?>> released = new CopyOnWriteArrayList<>();

		@Override
		public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
			throw new UnsupportedOperationException("the race is run on the asynchronous dials");
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
			CompletableFuture<StatefulConnection<?, ?>> dial = new CompletableFuture<>();
			this.pending.add(dial);
			return (CompletionStage<T>) dial;
		}

		@Override
		public void release(StatefulConnection<?, ?> connection) {
			this.released.add(connection);
		}

	}

}
