package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class DrainingLettuceConnectionFactoryTests {

	@Test
	void commandInFlightShouldCompleteWhenTheSharedConnectionIsReplaced(RedisLab lab) throws Exception {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		ClientResources resources = ClientResources.create();
		DrainingLettuceConnectionFactory factory = new DrainingLettuceConnectionFactory(
				new RedisStandaloneConfiguration(proxy.host(), proxy.port()),
				LettuceClientConfiguration.builder()
					.clientResources(resources)
					.commandTimeout(Duration.ofSeconds(5))
					.build(),
				Duration.ofSeconds(5));
		try {
			factory.afterPropertiesSet();
			factory.start();
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			redis.opsForValue().set("visits", "0");
			long connectionsBefore = proxy.acceptedConnections();
			proxy.setLatency(Duration.ofMillis(500));
			CompletableFuture<Long> increment = CompletableFuture
				.supplyAsync(() -> redis.opsForValue().increment("visits"));
			await("INCR in flight").atMost(Duration.ofSeconds(5)).until(() -> server.command("GET", "visits").equals("1"));
			factory.replaceSharedConnections();
			await("a new shared connection").atMost(Duration.ofSeconds(5)).until(() -> {
				redis.opsForValue().get("visits");
				return proxy.acceptedConnections() > connectionsBefore;
			});
			assertThat(increment.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
			await("old connection closed once drained").atMost(Duration.ofSeconds(10))
				.until(() -> proxy.activeConnections() == 1);
		}
		finally {
			factory.destroy();
			resources.shutdown(0, 1, TimeUnit.SECONDS);
		}
	}

	@Test
	void sharedConnectionsShouldNotStayTrackedOnceClosed(RedisLab lab) {
		RedisServer server = lab.startServer();
		ClientResources resources = ClientResources.create();
		DrainingLettuceConnectionFactory factory = new DrainingLettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.address().getHostString(), server.address().getPort()),
				LettuceClientConfiguration.builder().clientResources(resources).build(), Duration.ofSeconds(5));
		try {
			factory.afterPropertiesSet();
			factory.start();
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			for (int i = 0; i < 50; i++) {
				redis.opsForValue().set("cycle", String.valueOf(i));
				// As the stalled-connection guard does: the shared connection closes, the next call opens another.
				factory.resetConnection();
			}
			redis.opsForValue().get("cycle");
			assertThat(factory.trackedSharedConnections()).isLessThanOrEqualTo(1);
		}
		finally {
			factory.destroy();
			resources.shutdown(0, 1, TimeUnit.SECONDS);
		}
	}

}
