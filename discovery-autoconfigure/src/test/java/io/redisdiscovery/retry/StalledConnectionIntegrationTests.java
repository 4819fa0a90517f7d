package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection whose peer went silent without a reset (a host replaced behind the same address, a black-holing
 * balancer) must be replaced even when the workload's commands are never retried: an {@code INCR}-only producer sees
 * its timeouts, each reported once and never repeated, and then its increments go through again. The application's
 * ACL user may not {@code DEL}, so the silence watch cannot probe ({@link SilentConnectionWatchIntegrationTests}) and
 * the last resort, two command timeouts in a row, is what replaces the connection. A server that is itself frozen
 * keeps its connection, as with Spring Boot's factory: a new one gets no reply either, and the old one's commands are
 * answered first at the thaw.
 */
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
class StalledConnectionIntegrationTests {

	@Test
	void incrementOnlyWorkloadShouldLeaveASilentConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		DiscoveryContextRunners.withStarter(proxy.port())
			.withPropertyValues(DiscoveryContextRunners.userWithoutDel(server))
			.withPropertyValues("redis.discovery.timeout.command=300ms")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				AtomicLong applied = new AtomicLong();
				redis.opsForValue().increment("produced");
				applied.incrementAndGet();
				long acceptedBefore = proxy.acceptedConnections();
				// Nothing forwarded, nothing closed on the connection in use; a new connection works.
				proxy.silenceConnections();
				AtomicLong timeouts = new AtomicLong();
				await("an increment through a new connection").atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> {
						try {
							redis.opsForValue().increment("produced");
							applied.incrementAndGet();
							return true;
						}
						catch (DataAccessException ex) {
							timeouts.incrementAndGet();
							return false;
						}
					});
				assertThat(proxy.acceptedConnections()).isGreaterThan(acceptedBefore);
				assertThat(timeouts).as("the timeouts that showed the connection dead").hasValueGreaterThanOrEqualTo(2);
				// The silenced connection forwarded nothing: each increment the application saw succeed is there once.
				assertThat(server.command("GET", "produced")).isEqualTo(String.valueOf(applied.get()));
			});
	}

	@Test
	void aFrozenServerShouldKeepItsConnection(RedisLab lab, CapturedOutput output) {
		RedisServer server = lab.startServer();
		// Spring Boot's factory never replaces a connection on timeouts: the reference, whose connection's commands
		// are answered in the thawed server's first pass.
		keepsItsConnectionThroughAFreeze(server,
				DiscoveryContextRunners.withSpringBoot(server.port())
					.withPropertyValues("spring.data.redis.timeout=300ms"),
				(timeouts) -> timeouts >= 2);
		// The starter's commands time out two by two; a new connection gets no reply either, so the old one is kept.
		keepsItsConnectionThroughAFreeze(server,
				DiscoveryContextRunners.withStarter(server.port())
					.withPropertyValues("redis.discovery.timeout.command=300ms"),
				(timeouts) -> output.toString().contains("A new Redis connection does not answer either"));
	}

	private static void keepsItsConnectionThroughAFreeze(RedisServer server, ApplicationContextRunner runner,
			IntPredicate frozenLongEnough) {
		runner.run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			Long before = clientId(redis);
			AtomicInteger timeouts = new AtomicInteger();
			server.freeze();
			try {
				await("timeouts while the server is frozen").atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> {
						try {
							redis.opsForValue().set("during", "1");
						}
						catch (DataAccessException ex) {
							timeouts.incrementAndGet();
						}
						return frozenLongEnough.test(timeouts.get());
					});
			}
			finally {
				server.thaw();
			}
			redis.opsForValue().set("after", "2");
			assertThat(clientId(redis)).as("the connection in use").isEqualTo(before);
		});
	}

	/** The id the server gave the shared connection. */
	@SuppressWarnings("unchecked")
	private static Long clientId(StringRedisTemplate redis) {
		return redis.execute((RedisCallback<Long>) (connection) -> {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			return commands.clientId().toCompletableFuture().join();
		});
	}

}
