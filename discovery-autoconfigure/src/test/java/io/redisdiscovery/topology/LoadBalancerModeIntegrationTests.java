package io.redisdiscovery.topology;

import java.time.Duration;
import java.util.function.BiConsumer;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class LoadBalancerModeIntegrationTests {

	@Test
	void workloadShouldSeeNoErrorWhenTheBackendBehindItsConnectionDies(RedisLab lab) {
		runThroughBackendFault(lab, (used, other) -> {
			used.refuseNewConnections(true);
			used.killConnections();
			await("traffic moved to the other backend").atMost(Duration.ofSeconds(10))
				.until(() -> other.activeConnections() > 0);
		});
	}

	@Test
	void workloadShouldMoveOffABackendThatStopsAnsweringWithoutReset(RedisLab lab) {
		runThroughBackendFault(lab, (used, other) -> {
			long acceptedBefore = other.acceptedConnections();
			// The backend keeps the TCP connection open but never answers again: no RST, no FIN.
			used.blackhole(true);
			await("traffic moved to the other backend").atMost(Duration.ofSeconds(10))
				.until(() -> other.acceptedConnections() > acceptedBefore);
		}, "redis.discovery.timeout.command=500ms", "redis.discovery.timeout.connect=500ms");
	}

	/**
	 * As in Redis Enterprise: two proxies in front of one database, a load balancer in front of the proxies. Runs a
	 * workload, applies the fault to the proxy that carries the application's connection, and checks that the
	 * application saw no error and lost no acknowledged write.
	 */
	private static void runThroughBackendFault(RedisLab lab, BiConsumer<TcpProxy, TcpProxy> fault,
			String... properties) {
		RedisServer database = lab.startServer();
		TcpProxy proxyA = lab.startProxy("127.0.0.2", database.address());
		TcpProxy proxyB = lab.startProxy("127.0.0.3", database.address());
		TcpProxy balancer = lab.startProxy(proxyA.address(), proxyB.address());
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port())
			.withPropertyValues(properties)
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, "lb").start(4)) {
					workload.awaitProgress(200, Duration.ofSeconds(30));
					TcpProxy used = (proxyA.activeConnections() > 0) ? proxyA : proxyB;
					fault.accept(used, (used == proxyA) ? proxyB : proxyA);
					workload.awaitProgress(200, Duration.ofSeconds(30));
					workload.close();
					assertThat(workload.errors()).isEmpty();
					workload.assertNoAcknowledgedWriteLost(redis);
					workload.assertNoIncrementLostOrDuplicated(redis);
				}
			});
	}

}
