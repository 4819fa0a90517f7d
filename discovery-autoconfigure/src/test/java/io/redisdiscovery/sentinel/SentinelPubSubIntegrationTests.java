package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code RedisMessageListenerContainer} receives again after an ordered Sentinel failover, on the starter's factory
 * as on Spring Boot's, side by side on the same Sentinels. The deadline is wide on purpose: the starter's subscription
 * moves when Sentinel demotes the old master and kills its Pub/Sub clients (up to 10 s after the promotion), not when
 * the master moves; see "By API" in docs/benchmarks.md.
 */
@ExtendWith(RedisLabExtension.class)
class SentinelPubSubIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void subscriberShouldKeepReceivingAfterAnOrderedFailover(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("pubsub", 1);
		ApplicationContextRunner springBoot = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.sentinel.master=" + group.masterName(),
					"spring.data.redis.sentinel.nodes=" + String.join(",", group.sentinelAddresses()));
		ApplicationContextRunner starter = DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=" + group.masterName(),
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()));
		springBoot.run((bootContext) -> starter.run((starterContext) -> {
			Subscriber boot = new Subscriber(bootContext);
			Subscriber ours = new Subscriber(starterContext);
			try {
				awaitReceived(group.master(), boot, ours);
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				awaitReceived(promoted, boot, ours);
			}
			finally {
				boot.container.stop();
				ours.container.stop();
			}
		}));
	}

	/** Publishes on {@code master} until both subscribers have a message published there. */
	private static void awaitReceived(RedisServer master, Subscriber boot, Subscriber ours) {
		AtomicInteger sequence = new AtomicInteger();
		String prefix = master.port() + ":";
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			master.command("PUBLISH", "news", prefix + sequence.incrementAndGet());
			assertThat(boot.received).as("Spring Boot's subscriber").anyMatch((message) -> message.startsWith(prefix));
			assertThat(ours.received).as("the starter's subscriber").anyMatch((message) -> message.startsWith(prefix));
		});
	}

	private static final class Subscriber {

		private final Queue<String> received = new ConcurrentLinkedQueue<>();

		private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

		Subscriber(ApplicationContext context) {
			this.container.setConnectionFactory(context.getBean(RedisConnectionFactory.class));
			this.container.addMessageListener((message, pattern) -> this.received.add(new String(message.getBody())),
					new ChannelTopic("news"));
			this.container.afterPropertiesSet();
			this.container.start();
		}

	}

}
