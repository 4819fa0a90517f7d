package io.redisdiscovery.retry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.topology.ResolvingClientResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Moving the shared connection never waits for a handshake in progress: a dial to a peer that accepts and never
 * answers (a hung master) is forgotten by a reset at once, and the callers waiting for it go on to wherever the
 * client resolves now. The timeouts are 30 s, so anything that waits for that dial misses the deadlines.
 */
@ExtendWith(RedisLabExtension.class)
class SharedConnectionResetIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@Test
	void resetShouldNotWaitForADialToAHungPeer(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy hung = lab.startProxy(server.address());
		hung.blackhole(true);
		AtomicReference<InetSocketAddress> target = new AtomicReference<>(hung.address());
		ClientResources shared = DefaultClientResources.create();
		ClientResources resources = ResolvingClientResources.create(shared, new MovableResolver(target));
		RetryingLettuceConnectionFactory factory = UnansweredPeerFactories.start(
				new RedisStandaloneConfiguration("redis.test", 6379),
				LettuceClientConfiguration.builder().clientResources(resources));
		try {
			CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> ping(factory));
			await("a dial to the hung peer").atMost(DEADLINE).until(() -> hung.acceptedConnections() > 0);

			target.set(server.address());
			CompletableFuture<Void> reset = CompletableFuture.runAsync(factory::resetConnection);
			await("the reset").atMost(DEADLINE).until(reset::isDone);
			CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> ping(factory));
			await("a command after the reset").atMost(DEADLINE).until(next::isDone);
			assertThat(next.join()).isEqualTo("PONG");
			await("the caller that waited for the hung dial").atMost(DEADLINE).until(stuck::isDone);
			assertThat(stuck.join()).isEqualTo("PONG");
		}
		finally {
			hung.blackhole(false);
			factory.destroy();
			resources.shutdown();
			shared.shutdown();
		}
	}

	private static String ping(RetryingLettuceConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			return connection.ping();
		}
	}

	/** Resolves every address to the current target, as a topology source does after a failover. */
	private static final class MovableResolver extends SocketAddressResolver {

		private final AtomicReference<InetSocketAddress> target;

		MovableResolver(AtomicReference<InetSocketAddress> target) {
			super(DnsResolvers.UNRESOLVED);
			this.target = target;
		}

		@Override
		public SocketAddress resolve(RedisURI redisURI) {
			return this.target.get();
		}

	}

}
