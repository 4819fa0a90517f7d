package io.redisdiscovery.sentinel;

import java.time.Duration;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.sentinel.DiscoveryServiceStandIn;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentinel mode against a stand-in for Redis Enterprise's discovery service: one endpoint, no events, no
 * {@code SENTINEL REPLICAS}, no {@code PSUBSCRIBE}, {@code HELLO} refused.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class SentinelDiscoveryServiceIntegrationTests {

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void workloadShouldConnectFailOverAndRecoverThroughDiscoveryService(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("enterprise", 1);
		DiscoveryServiceStandIn discoveryService = lab.startDiscoveryServiceStandIn(group);
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=enterprise",
					"redis.discovery.sentinel.nodes=" + discoveryService.hostAndPort(),
					"redis.discovery.sentinel.check-interval=1s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("enterprise:before", "landed");
				assertThat(group.master().command("GET", "enterprise:before")).isEqualTo("landed");
				TopologySource topology = context.getBean(TopologySource.class);
				assertThat(topology.current().details().get("sentinelsSubscribed")).asList()
					.containsExactly(discoveryService.hostAndPort());
				try (Workload workload = new Workload(redis, "enterprise").start(4)) {
					workload.awaitProgress(200, Duration.ofSeconds(30));
					RedisServer oldMaster = group.master();
					group.failover();
					RedisServer promoted = group.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
					await("the starter to follow the new master").atMost(Duration.ofSeconds(20))
						.until(() -> topology.current().endpoints().get(0).node().port() == promoted.port());
					workload.awaitProgress(200, Duration.ofSeconds(30));
					workload.close();
					// Without events there is no write hold: a write the old master acknowledged after the
					// promotion may be missing on the new master (the documented window), but no command fails.
					assertThat(workload.errors()).filteredOn((error) -> !(error instanceof AssertionError)).isEmpty();
					redis.opsForValue().set("enterprise:after", "landed");
					assertThat(promoted.command("GET", "enterprise:after")).isEqualTo("landed");
				}
				assertThat(discoveryService.receivedCommands()).contains("SENTINEL GET-MASTER-ADDR-BY-NAME",
						"SENTINEL SLAVES", "SUBSCRIBE", "HELLO")
					.doesNotContain("PSUBSCRIBE");
			});
	}

}
