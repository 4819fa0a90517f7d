package io.redisdiscovery.retry;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisdiscovery.retry.PooledConnectionProviderTests.FakeConnections;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which connections count as lent, with fake connections: that a lent connection gone silent is replaced is covered
 * by {@link SilentConnectionWatchIntegrationTests}.
 */
class LentConnectionProviderTests {

	private final LentConnectionProvider provider = new LentConnectionProvider(new FakeConnections());

	@Test
	void aPlainConnectionShouldBeLentUntilReleased() {
		StatefulConnection<?, ?> first = this.provider.getConnection(StatefulConnection.class);
		StatefulConnection<?, ?> second = this.provider.getConnectionAsync(StatefulConnection.class)
			.toCompletableFuture()
			.join();
		assertThat(this.provider.inUse()).containsExactlyInAnyOrder(first, second);
		this.provider.release(first);
		this.provider.releaseAsync(second);
		assertThat(this.provider.inUse()).isEmpty();
	}

	@Test
	void aPubSubConnectionShouldNotBeLent() {
		this.provider.getConnection(StatefulRedisPubSubConnection.class);
		assertThat(this.provider.inUse()).isEmpty();
	}

}
