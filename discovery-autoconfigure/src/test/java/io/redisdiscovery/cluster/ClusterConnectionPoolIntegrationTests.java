package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In cluster mode, pipelines and blocking commands take their dedicated connection from the pool, as on Spring Boot's
 * factory with commons-pool2: without it each one opens a cluster connection, with a handshake to every node it
 * touches.
 */
@ExtendWith(RedisLabExtension.class)
class ClusterConnectionPoolIntegrationTests {

	private static final int PIPELINES = 30;

	@Test
	void pipelinesAndBlockingPopsShouldReusePooledConnections(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		starter(cluster).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			pipelineAndPop(redis, -1);
			long before = connectionsReceived(cluster);
			for (int i = 0; i < PIPELINES; i++) {
				pipelineAndPop(redis, i);
			}
			// A pooled cluster connection dials each master once; the lab's INFO adds one per master.
			assertThat(connectionsReceived(cluster) - before).isLessThanOrEqualTo(2L * cluster.masters().size());
			assertThat(context.getBean(RetryingLettuceConnectionFactory.class).pooledConnections()).isBetween(1, 3);
		});
	}

	@Test
	void eachPipelineShouldOpenItsOwnConnectionWhenPoolingIsDisabled(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 0);
		starter(cluster).withPropertyValues("redis.discovery.pool.enabled=false").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			pipelineAndPop(redis, -1);
			long before = connectionsReceived(cluster);
			for (int i = 0; i < PIPELINES; i++) {
				pipelineAndPop(redis, i);
			}
			assertThat(connectionsReceived(cluster) - before).isGreaterThanOrEqualTo(PIPELINES);
		});
	}

	private static ApplicationContextRunner starter(RedisClusterLab cluster) {
		return DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()));
	}

	private static void pipelineAndPop(StringRedisTemplate redis, int i) {
		List<Object> results = redis.executePipelined((RedisCallback<Object>) (connection) -> {
			connection.stringCommands().set(("pipelined:" + i).getBytes(), "v".getBytes());
			return null;
		});
		assertThat(results).containsExactly(true);
		redis.opsForList().leftPush("queue", "job");
		assertThat(redis.opsForList().leftPop("queue", Duration.ofSeconds(1))).isEqualTo("job");
	}

	private static long connectionsReceived(RedisClusterLab cluster) {
		long total = 0;
		for (RedisServer master : cluster.masters()) {
			String value = master.infoValue("stats", "total_connections_received");
			assertThat(value).isNotNull();
			total += Long.parseLong(value);
		}
		return total;
	}

}
