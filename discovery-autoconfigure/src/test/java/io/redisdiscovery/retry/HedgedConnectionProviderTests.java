package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * What becomes of the dial that loses a race, with dials completed by hand: that racing them gets past a frozen
 * backend is covered by {@link HedgedDialIntegrationTests}.
 */
class HedgedConnectionProviderTests {

	private final ManualDials dials = new ManualDials();

	/** Both dials at once, as while a path is suspected dead. */
	private final HedgedConnectionProvider provider = new HedgedConnectionProvider(this.dials, Runnable::run,
			Duration.ofSeconds(10), () -> true);

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

	private CompletableFuture<StatefulConnection> race() {
		CompletableFuture<StatefulConnection> winner = this.provider.getConnectionAsync(StatefulConnection.class)
			.toCompletableFuture();
		assertThat(this.dials.pending).as("dials started at once").hasSize(2);
		return winner;
	}

	/** Dials that complete when the test says so. */
	private static final class ManualDials implements LettuceConnectionProvider {

		final List<CompletableFuture<StatefulConnection<?, ?>>> pending = new ArrayList<>();

		final List<StatefulConnection<?, ?>> released = new ArrayList<>();

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
