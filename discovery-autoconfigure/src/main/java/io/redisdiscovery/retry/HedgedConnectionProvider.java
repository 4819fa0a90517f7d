package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
 * milliseconds, so the delay leaves it alone. While a path is suspected dead ({@code raceAtOnce}), there is no
 * delay: both dials go at once, and behind a balancer one of them lands on a backend that answers.
 * <p>
 * Unless other races take turns at the same balancer: a replaced connection's pool makes its replacement while the
 * shared connection dials again, and of four dials that land in turn, both of one race may go to the frozen backend.
 * So while racing, a race that no dial won yet dials once more every {@link QuickCommands#SILENCE} (far above a
 * healthy handshake), up to {@link #MAX_RACING_DIALS} dials; a dial that lands on the frozen backend costs a socket
 * until the handshake deadline, no more.
 * <p>
 * Where every dial reaches the same server (a standalone server's fixed address), a race has nothing to find: a
 * suspected path is dialed once at a time, each dial cut short by the handshake deadline. Racing there made four dials
 * per silence probe, and a frozen server (whose kernel still accepts) set up every one of them when it thawed, ahead
 * of the commands that waited.
 * <p>
 * Connections asked for by type are hedged, blocking or not: the shared and pooled connections, transactions,
 * blocking commands, Pub/Sub, and the reactive API's dedicated and Pub/Sub connections. Connections to a given node
 * ({@code getConnection(type, uri)}) go to the delegate as they are.
 *
 * @since 0.1.0
 */
final class HedgedConnectionProvider extends DelegatingConnectionProvider {

	private static final String DIAL_FAILED = "Could not connect to Redis";

	/** The most dials of one connection while racing: with two backends, the last two of them cannot both freeze. */
	static final int MAX_RACING_DIALS = 4;

	private final Executor dialer;

	private final Duration hedgeDelay;

	private final BooleanSupplier raceAtOnce;

	private final boolean oneServer;

	/**
	 * Creates a provider.
	 * @param delegate makes the connections
	 * @param dialer runs the dials, each on a thread of its own while it blocks
	 * @param hedgeDelay how long the first dial runs alone
	 * @param raceAtOnce whether a dial starts with both dials now
	 * @param oneServer whether every dial reaches the same server: then a dial that starts while racing is the only
	 * one
	 */
	HedgedConnectionProvider(LettuceConnectionProvider delegate, Executor dialer, Duration hedgeDelay,
			BooleanSupplier raceAtOnce, boolean oneServer) {
		super(delegate);
		this.dialer = dialer;
		this.hedgeDelay = hedgeDelay;
		this.raceAtOnce = raceAtOnce;
		this.oneServer = oneServer;
	}

	@Override
	public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
		CompletableFuture<T> winner = race(() -> CompletableFuture
			.supplyAsync(() -> HedgedConnectionProvider.super.getConnection(connectionType), this.dialer));
		try {
			return winner.get();
		}
		catch (ExecutionException ex) {
			throw CauseChain.unchecked(ex.getCause(), DIAL_FAILED);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while connecting to Redis", ex);
		}
	}

	/**
	 * The same race for the connections the reactive API asks for without blocking (its dedicated and Pub/Sub
	 * connections).
	 */
	@Override
	public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
		return race(() -> super.getConnectionAsync(connectionType));
	}

	private <T extends StatefulConnection<?, ?>> CompletableFuture<T> race(Supplier<CompletionStage<T>> dial) {
		Race<T> race = new Race<>(dial);
		race.dial();
		if (!this.raceAtOnce.getAsBoolean()) {
			dialAgainUnlessWon(race, this.hedgeDelay, 1);
		}
		else if (!this.oneServer) {
			race.dial();
			dialAgainUnlessWon(race, QuickCommands.SILENCE, MAX_RACING_DIALS - 2);
		}
		return race.winner;
	}

	/** Dials {@code times} more, one every {@code delay}, while no dial of the race has won (or all failed). */
	private void dialAgainUnlessWon(Race<?> race, Duration delay, int times) {
		CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, this.dialer).execute(() -> {
			if (!race.winner.isDone()) {
				race.dial();
				if (times > 1) {
					dialAgainUnlessWon(race, delay, times - 1);
				}
			}
		});
	}

	/** Dials of one connection: the first one ready wins; the race fails only when every dial failed. */
	private final class Race<T extends StatefulConnection<?, ?>> {

		private final Supplier<CompletionStage<T>> dial;

		private final CompletableFuture<T> winner = new CompletableFuture<>();

		private final AtomicInteger running = new AtomicInteger();

		Race(Supplier<CompletionStage<T>> dial) {
			this.dial = dial;
		}

		void dial() {
			this.running.incrementAndGet();
			CompletionStage<T> attempt;
			try {
				attempt = this.dial.get();
			}
			catch (RuntimeException ex) {
				lost(ex);
				return;
			}
			attempt.whenComplete((connection, failure) -> {
				if (failure != null) {
					lost(failure);
				}
				else if (!this.winner.complete(connection)) {
					release(connection);
				}
			});
		}

		private void lost(Throwable failure) {
			if (this.running.decrementAndGet() == 0) {
				this.winner.completeExceptionally((failure instanceof CompletionException) ? failure.getCause() : failure);
			}
		}

	}

}
