package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.env.MapPropertySource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Calls Spring Data runs as several commands when their keys live on different nodes: when a later command cannot
 * reach its node, the earlier ones were applied, so the call must fail once instead of being repeated whole (each
 * repeat of an {@code RPOPLPUSH} would pop another element and lose it).
 */
@ExtendWith(RedisLabExtension.class)
class CrossSlotIntegrationTests {

	@ParameterizedTest(name = "reactive: {0}")
	@ValueSource(booleans = { false, true })
	void crossSlotMoveWhoseSecondNodeIsUnreachableShouldFailOnceAndPopOnce(boolean reactive, RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		Map<RedisServer, TcpProxy> proxies = new LinkedHashMap<>();
		Map<String, Object> addressMap = new LinkedHashMap<>();
		for (RedisServer node : cluster.nodes()) {
			TcpProxy proxy = lab.startProxy("127.0.0.1", new InetSocketAddress(node.host(), node.port()));
			proxies.put(node, proxy);
			addressMap.put("redis.discovery.cluster.address-map.[" + cluster.announcedHostAndPort(node) + "]",
					proxy.hostAndPort());
		}
		RedisServer sourceNode = cluster.masters().get(0);
		RedisServer destinationNode = cluster.masters().get(1);
		String source = keyServedBy(cluster, sourceNode, "source-");
		String destination = keyServedBy(cluster, destinationNode, "destination-");
		sourceNode.command("RPUSH", source, "x1", "x2", "x3", "x4");
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()),
					"redis.discovery.retry.max-attempts=5")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("address-map", addressMap)))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				ReactiveStringRedisTemplate reactiveRedis = new ReactiveStringRedisTemplate(
						context.getBean(ReactiveRedisConnectionFactory.class));
				assertThat(redis.opsForList().size(destination)).isZero();
				assertThat(reactiveRedis.opsForList().size(destination).block()).isZero();
				TcpProxy destinationProxy = proxies.get(destinationNode);
				destinationProxy.refuseNewConnections(true);
				destinationProxy.killConnections();

				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> {
					if (reactive) {
						reactiveRedis.opsForList().rightPopAndLeftPush(source, destination).block();
					}
					else {
						redis.opsForList().rightPopAndLeftPush(source, destination);
					}
				});
				assertThat(sourceNode.command("LLEN", source)).as("elements left after one failed move").isEqualTo(3L);
			});
	}

	private static String keyServedBy(RedisClusterLab cluster, RedisServer master, String prefix) {
		for (int i = 0;; i++) {
			String key = prefix + i;
			if (cluster.masterForSlot(RedisClusterLab.slotFor(key)).equals(master)) {
				return key;
			}
		}
	}

}
