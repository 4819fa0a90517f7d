package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopologyChangedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application listener of {@link RedisTopologyChangedEvent} that writes to Redis, through an ordered Sentinel
 * failover with the write hold on: its write must not hold everyone's writes (its own included) until the hold's
 * {@code max-duration}, and it must land on the new master.
 */
@ExtendWith(RedisLabExtension.class)
class TopologyEventListenerIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	/** Far above how long the failover takes, so only a listener that blocks the hold's release can reach it. */
	private static final Duration HOLD_MAX_DURATION = Duration.ofSeconds(40);

	@Test
	void listenerWritingToRedisShouldNotHoldWritesUntilMaxDuration(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("listener", 1);
		DiscoveryContextRunners.withStarter()
			.withUserConfiguration(WritingListener.class)
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
					"redis.discovery.sentinel.failover-hold.max-duration=" + HOLD_MAX_DURATION.toSeconds() + "s")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("before", "failover");
				WritingListener listener = context.getBean(WritingListener.class);
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer newMaster = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				// The listener writes the master each event names: the new master's own address, written to it.
				await().atMost(HOLD_MAX_DURATION.dividedBy(2))
					.untilAsserted(() -> assertThat(newMaster.command("GET", "listener:master"))
						.isEqualTo(newMaster.hostAndPort()));
				redis.opsForValue().set("after", "failover");
				assertThat(newMaster.command("GET", "after")).isEqualTo("failover");
				assertThat(listener.failures).isEmpty();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class WritingListener {

		final Map<String, Throwable> failures = new ConcurrentHashMap<>();

		@Bean
		ApplicationListener<RedisTopologyChangedEvent> writeOnChange(ObjectProvider<StringRedisTemplate> redis) {
			return (event) -> {
				try {
					event.getChange()
						.after()
						.endpoints()
						.stream()
						.filter((endpoint) -> endpoint.role() == NodeRole.MASTER)
						.forEach((master) -> redis.getObject()
							.opsForValue()
							.set("listener:master", master.node().toString()));
				}
				catch (RuntimeException ex) {
					this.failures.put(event.getChange().reason(), ex);
				}
			};
		}

	}

}
