package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulConnection;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * Dials a second time when the first dial is not done after a short delay, and hands out whichever connection is
 * ready first; the other one is released when it is ready.
 * <p>
 * Behind a balancer whose backend froze (it accepts, its health check passes, nothing answers), every other dial
 * lands on that backend, and its handshake waits for the whole command timeout before the retry dials again. The
 * second dial goes to the next backend and wins. A dial that fails before the delay (connection refused) fails at
 * once, as before; only a dial that neither succeeds nor fails gets a second one. A healthy handshake takes a few
 * milliseconds, so the delay leaves it alone.
 * <p>
 * Only connections asked for by type are hedged: the shared and pooled connections, transactions, blocking commands
 * and Pub/Sub. Connections to a given node ({@code getConnection(type, uri)}) and asynchronous requests go to the
 * delegate as they are.
 *
 * @since 0.1.0
 */
final class HedgedConnectionProvider extends DelegatingConnectionProvider {

	private static final String DIAL_FAILED = "Could not connect to Redis";

	private final Executor dialer;

	private final Duration hedgeDelay;

	/**
	 * Creates a provider.
	 * @param delegate makes the connections
	 * @param dialer runs the dials, each on a thread of its own while it blocks
	 * @param hedgeDelay how long the first dial runs alone
	 */
	HedgedConnectionProvider(LettuceConnectionProvider delegate, Executor dialer, Duration hedgeDelay) {
		super(delegate);
		this.dialer = dialer;
		this.hedgeDelay = hedgeDelay;
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		Race<T> race = new Race<>(connectionType);
		race.dial();
		try {
			return race.winner.get(this.hedgeDelay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			if (!race.winner.isDone()) {
				race.dial();
			}
			return join(race.winner);
		}
		catch (ExecutionException ex) {
			throw CauseChain.unchecked(ex.getCause(), DIAL_FAILED);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while connecting to Redis", ex);
		}
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw CauseChain.unchecked(ex.getCause(), DIAL_FAILED);
		}
	}

	/** Dials of one connection: the first one ready wins; the race fails only when every dial failed. */
	private final class Race<T extends StatefulConnection<?, ?>> {

		private final Class<T> connectionType;

		private final CompletableFuture<T> winner = new CompletableFuture<>();

		private final AtomicInteger running = new AtomicInteger();

		Race(Class<T> connectionType) {
			this.connectionType = connectionType;
		}

		void dial() {
			this.running.incrementAndGet();
			HedgedConnectionProvider.this.dialer.execute(this::runDial);
		}

		private void runDial() {
			T connection;
			try {
				connection = HedgedConnectionProvider.super.getConnection(this.connectionType);
			}
			catch (Throwable ex) {
				if (this.running.decrementAndGet() == 0) {
					this.winner.completeExceptionally(ex);
				}
				return;
			}
			if (!this.winner.complete(connection)) {
				release(connection);
			}
		}

	}

}
