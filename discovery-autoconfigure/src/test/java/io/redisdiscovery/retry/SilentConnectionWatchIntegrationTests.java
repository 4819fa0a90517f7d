package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shared connection whose peer went silent is replaced long before its commands time out, once a new connection
 * shows the server answers; a server that merely pauses writes keeps its connection. The command timeout is 20 s,
 * so a write that waits for it misses the deadlines; the watch acts after a quarter of it.
 */
@ExtendWith(RedisLabExtension.class)
class SilentConnectionWatchIntegrationTests {

	// The watch probes 5 to 10 s after the write begins (a silence of 5 s, checked every 2.5 s); a write that waited
	// for the command timeout would take over 20 s. The margin is for a loaded machine: one CI run missed 12 s.
	private static final Duration DEADLINE = Duration.ofSeconds(16);

	@Test
	void aConnectionToAFrozenBalancerBackendShouldBeReplacedBeforeItsCommandsTimeOut(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy frozen = lab.startProxy("127.0.0.2", server.address());
		TcpProxy healthy = lab.startProxy("127.0.0.3", server.address());
		TcpProxy balancer = lab.startProxy(frozen.address(), healthy.address());
		healthy.refuseNewConnections(true);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port(), "redis.discovery.timeout.command=20s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				healthy.refuseNewConnections(false);
				// The backend every connection is on freezes; its health check would still pass.
				frozen.blackhole(true);
				CompletableFuture<Void> write = CompletableFuture.runAsync(() -> redis.opsForValue().set("after", "2"));
				await("a write while the backend is frozen").atMost(DEADLINE).until(write::isDone);
				write.join();
				assertThat(server.command("GET", "after")).isEqualTo("2");
				frozen.blackhole(false);
			});
	}

	@Test
	void aServerPausingWritesShouldKeepItsConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port())
			.withPropertyValues("redis.discovery.timeout.command=2s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "1");
				Object shared = sharedConnection(redis);
				// Three times the watch's silence (500 ms): a PING on a new connection would be answered at once.
				server.command("CLIENT", "PAUSE", "1500", "WRITE");
				redis.opsForValue().set("during", "2");
				assertThat(server.command("GET", "during")).isEqualTo("2");
				assertThat(sharedConnection(redis)).as("the shared connection").isSameAs(shared);
			});
	}

	private static Object sharedConnection(StringRedisTemplate redis) {
		return redis.execute((RedisCallback<Object>) RedisConnection::getNativeConnection);
	}

}
