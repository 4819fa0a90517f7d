package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pooled connection never outlives the master it was opened to: after a failover, a transaction from the pool runs
 * on the new master.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class SentinelConnectionPoolIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void pooledTransactionAfterAFailoverShouldRunOnTheNewMaster(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("pooled", 1);
		DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisServer oldMaster = group.master();
				// Leaves an idle dedicated connection to the old master in the pool.
				assertThat(redis.execute(transaction("pooled:before"))).hasSize(2);
				assertThat(oldMaster.command("GET", "pooled:before")).isEqualTo("1");
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				TopologySource topology = context.getBean(TopologySource.class);
				await("the starter to follow the switch").atMost(FAILOVER_TIMEOUT)
					.until(() -> topology.current().details().containsKey("lastSwitchMaster"));
				List<Object> results = redis.execute(transaction("pooled:after"));
				assertThat(results).hasSize(2);
				assertThat(promoted.command("GET", "pooled:after")).isEqualTo("1");
			});
	}

	private static SessionCallback<List<Object>> transaction(String key) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
				operations.multi();
				operations.opsForValue().set((K) key, (V) "1");
				operations.opsForValue().increment((K) (key + ":count"));
				return operations.exec();
			}

		};
	}

}
