package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Behind a balancer whose first backend froze (accepts, never answers), a dial that lands there must not cost the
 * handshake timeout: a second dial goes to the next backend. The timeouts are 30 s, so a connection that waits for
 * the frozen backend's handshake misses the deadline; the second dial starts after a tenth of that.
 */
@ExtendWith(RedisLabExtension.class)
class HedgedDialIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	@Test
	void dialsThatLandOnAFrozenBackendShouldBeRacedByOneToTheNext(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy frozen = lab.startProxy("127.0.0.2", server.address());
		RetryingLettuceConnectionFactory factory = behindBalancerWithFrozenFirstBackend(lab, server, frozen);
		try {
			CompletableFuture<String> shared = CompletableFuture.supplyAsync(() -> ping(factory));
			await("a command on the shared connection").atMost(DEADLINE).until(shared::isDone);
			assertThat(shared.join()).isEqualTo("PONG");

			CompletableFuture<Boolean> transaction = CompletableFuture.supplyAsync(() -> transaction(factory));
			await("a transaction on a dedicated connection").atMost(DEADLINE).until(transaction::isDone);
			assertThat(transaction.join()).isTrue();
			assertThat(frozen.acceptedConnections()).as("dials that landed on the frozen backend").isPositive();
			assertThat(server.command("GET", "hedged")).isEqualTo("yes");
		}
		finally {
			frozen.blackhole(false);
			factory.destroy();
		}
	}

	@Test
	void reactiveDialsThatLandOnAFrozenBackendShouldBeRacedByOneToTheNext(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy frozen = lab.startProxy("127.0.0.2", server.address());
		RetryingLettuceConnectionFactory factory = behindBalancerWithFrozenFirstBackend(lab, server, frozen);
		// Not shared: the reactive command's own connection, asked for without blocking, is the first dial.
		factory.setShareNativeConnection(false);
		try {
			CompletableFuture<Boolean> reactive = CompletableFuture.supplyAsync(() -> reactiveSet(factory));
			await("a reactive command on a dedicated connection").atMost(DEADLINE).until(reactive::isDone);
			assertThat(reactive.join()).isTrue();
			assertThat(frozen.acceptedConnections()).as("dials that landed on the frozen backend").isPositive();
			assertThat(server.command("GET", "hedged-reactive")).isEqualTo("yes");
		}
		finally {
			frozen.blackhole(false);
			factory.destroy();
		}
	}

	/**
	 * A started factory behind a round-robin balancer whose first backend, {@code frozen}, is black-holed: the
	 * first dial goes there, and so does every other one after it.
	 */
	private static RetryingLettuceConnectionFactory behindBalancerWithFrozenFirstBackend(RedisLab lab,
			RedisServer server, TcpProxy frozen) {
		TcpProxy healthy = lab.startProxy("127.0.0.3", server.address());
		frozen.blackhole(true);
		TcpProxy balancer = lab.startProxy(frozen.address(), healthy.address());
		return UnansweredPeerFactories.start(new RedisStandaloneConfiguration(balancer.host(), balancer.port()),
				LettuceClientConfiguration.builder());
	}

	private static boolean reactiveSet(RetryingLettuceConnectionFactory factory) {
		try (ReactiveRedisConnection connection = factory.getReactiveConnection()) {
			return Boolean.TRUE.equals(connection.stringCommands()
				.set(ByteBuffer.wrap("hedged-reactive".getBytes()), ByteBuffer.wrap("yes".getBytes()))
				.block());
		}
	}

	private static String ping(RetryingLettuceConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			return connection.ping();
		}
	}

	private static boolean transaction(RetryingLettuceConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			connection.multi();
			connection.stringCommands().set("hedged".getBytes(), "yes".getBytes());
			return connection.exec().size() == 1;
		}
	}

}
