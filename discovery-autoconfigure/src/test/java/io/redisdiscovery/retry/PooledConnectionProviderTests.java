package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The pool's bookkeeping (which connection is lent again, which is closed), with fake connections: the behaviour
 * against Redis is covered by the pool integration tests of each mode.
 */
class PooledConnectionProviderTests {

	private final FakeConnections connections = new FakeConnections();

	private final PooledConnectionProvider pool = new PooledConnectionProvider(this.connections,
			new PoolSettings(8, 8, 0, Duration.ofMillis(-1), null));

	@Test
	void releasedConnectionShouldBeLentAgain() {
		StatefulConnection<?, ?> first = this.pool.getConnection(StatefulConnection.class);
		this.pool.release(first);
		assertThat(this.pool.getConnection(StatefulConnection.class)).isSameAs(first);
		assertThat(this.connections.opened).hasSize(1);
	}

	@Test
	void invalidateShouldCloseIdleConnectionsAndLentOnesWhenReleased() {
		StatefulConnection<?, ?> idle = this.pool.getConnection(StatefulConnection.class);
		StatefulConnection<?, ?> lent = this.pool.getConnection(StatefulConnection.class);
		this.pool.release(idle);
		this.pool.invalidate();
		assertThat(this.connections.closed).containsExactly(idle);
		this.pool.release(lent);
		assertThat(this.connections.closed).containsExactly(idle, lent);
		assertThat(this.pool.getConnection(StatefulConnection.class)).isNotIn(idle, lent);
	}

	@Test
	void connectionReleasedInsideMultiShouldBeClosed() {
		StatefulConnection<?, ?> connection = this.pool.getConnection(StatefulConnection.class);
		given(((StatefulRedisConnection<?, ?>) connection).isMulti()).willReturn(true);
		this.pool.release(connection);
		assertThat(this.connections.closed).containsExactly(connection);
	}

	@Test
	void connectionReleasedWhileDiscardingShouldBeClosed() {
		StatefulConnection<?, ?> connection = this.pool.getConnection(StatefulConnection.class);
		this.pool.discarding(() -> this.pool.release(connection));
		assertThat(this.connections.closed).containsExactly(connection);
		this.pool.release(this.pool.getConnection(StatefulConnection.class));
		assertThat(this.connections.closed).containsExactly(connection);
	}

	@Test
	void connectionOpenedAcrossATopologyChangeShouldBeOpenedAgain() {
		this.connections.onOpen = this.pool::invalidate;
		StatefulConnection<?, ?> connection = this.pool.getConnection(StatefulConnection.class);
		assertThat(this.connections.opened).hasSize(2);
		assertThat(connection).isSameAs(this.connections.opened.get(1));
		assertThat(this.connections.closed).containsExactly(this.connections.opened.get(0));
	}

	@Test
	void pubSubConnectionsShouldNotBePooled() {
		StatefulRedisPubSubConnection<?, ?> pubSub = this.pool.getConnection(StatefulRedisPubSubConnection.class);
		this.pool.release(pubSub);
		assertThat(this.connections.closed).containsExactly(pubSub);
		assertThat(this.pool.size()).isZero();
	}

	/** Hands out mock connections and records what is closed (released to it). */
	static final class FakeConnections implements LettuceConnectionProvider {

		final List<StatefulConnection<?, ?>> opened = new ArrayList<>();

		final List<StatefulConnection<?, ?>> closed = new ArrayList<>();

		Runnable onOpen = () -> {
		};

		@Override
		public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
			Class<?> type = ((Class<?>) connectionType == StatefulConnection.class) ? StatefulRedisConnection.class
					: connectionType;
			StatefulConnection<?, ?> connection = (StatefulConnection<?, ?>) mock(type);
			given(connection.isOpen()).willReturn(true);
			this.opened.add(connection);
			Runnable onOpen = this.onOpen;
			this.onOpen = () -> {
			};
			onOpen.run();
			return connectionType.cast(connection);
		}

		@Override
		public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
			return CompletableFuture.completedFuture(getConnection(connectionType));
		}

		@Override
		public void release(StatefulConnection<?, ?> connection) {
			this.closed.add(connection);
		}

		@Override
		public CompletableFuture<Void> releaseAsync(StatefulConnection<?, ?> connection) {
			release(connection);
			return CompletableFuture.completedFuture(null);
		}

	}

}
