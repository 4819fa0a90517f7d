package io.redisdiscovery.retry;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisdiscovery.retry.PooledConnectionProviderTests.FakeConnections;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Releasing at the bottom of the providers, with fake connections: the integration tests of the silence watch check
 * that no connection is closed twice on a real server.
 */
class ClosingConnectionProviderTests {

	private final FakeConnections dials = new FakeConnections();

	private final ClosingConnectionProvider provider = new ClosingConnectionProvider(this.dials);

	@Test
	void anOpenConnectionShouldBeClosedWhenReleased() {
		StatefulConnection<?, ?> blocking = connection(true);
		StatefulConnection<?, ?> async = connection(true);
		this.provider.release(blocking);
		this.provider.releaseAsync(async).join();
		assertThat(this.dials.closed).containsExactly(blocking, async);
	}

	@Test
	void aConnectionClosedAlreadyShouldNotBeClosedAgain() {
		// Closed by the client's shutdown while it was dialed, or by the silence watch while it was lent.
		this.provider.release(connection(false));
		this.provider.releaseAsync(connection(false)).join();
		assertThat(this.dials.closed).isEmpty();
	}

	private static StatefulConnection<?, ?> connection(boolean open) {
		StatefulRedisConnection<?, ?> connection = mock(StatefulRedisConnection.class);
		given(connection.isOpen()).willReturn(open);
		return connection;
	}

}
