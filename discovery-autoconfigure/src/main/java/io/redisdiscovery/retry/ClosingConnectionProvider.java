package io.redisdiscovery.retry;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.api.StatefulConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * The bottom of the factory's providers, right above the client's dials, where releasing a connection closes it: a
 * connection closed already is not closed again, which Lettuce would warn of ("Connection is already closed").
 * <p>
 * Connections get closed before they are released in two ways: the silence watch closes one while it is lent, and the
 * client, shut down with its factory, closes every connection it made, among them one still being dialed (a hedged
 * dial's loser) or probed. Every provider above lets go of its connections through this one, pooled or not, so the
 * check is made once, here. Above a pool it would be wrong: the pool must get back a closed connection to count it
 * out.
 *
 * @since 0.1.0
 */
final class ClosingConnectionProvider extends DelegatingConnectionProvider {

	ClosingConnectionProvider(LettuceConnectionProvider dials) {
		super(dials);
	}

	@Override
	public void release(StatefulConnection<?, ?> connection) {
		if (!LettuceChannels.isClosed(connection)) {
			super.release(connection);
		}
	}

	@Override
	public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
		return LettuceChannels.isClosed(connection) ? CompletableFuture.completedFuture(null)
				: super.releaseAsync(connection);
	}

}
