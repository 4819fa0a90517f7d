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
import reactor.core.Disposable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code RedisMessageListenerContainer} receives again after an ordered Sentinel failover, on the starter's factory
 * as on Spring Boot's, side by side on the same Sentinels. The starter moves its subscriptions when the master moves,
 * so its subscriber receives what is published on the new master while the old one still claims to be master;
 * Spring Boot's moves only once Sentinel demotes the old master and kills its Pub/Sub clients (up to 10 s later).
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
			Subscriber boot = Subscriber.listenerContainer("Spring Boot's subscriber", bootContext);
			Subscriber ours = Subscriber.listenerContainer("the starter's subscriber", starterContext);
			Subscriber oursReactive = Subscriber.reactive("the starter's reactive subscriber", starterContext);
			try {
				awaitReceived(group.master(), boot, ours, oursReactive);
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				awaitReceived(promoted, ours, oursReactive);
				assertThat(oldMaster.role()).as("the old master's role when the starter's subscribers received")
					.isEqualTo("master");
				awaitReceived(promoted, boot, ours, oursReactive);
			}
			finally {
				boot.stop.run();
				ours.stop.run();
				oursReactive.stop.run();
			}
		}));
	}

	/** Publishes on {@code master} until every subscriber has a message published there. */
	private static void awaitReceived(RedisServer master, Subscriber... subscribers) {
		AtomicInteger sequence = new AtomicInteger();
		String prefix = master.port() + ":";
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			master.command("PUBLISH", "news", prefix + sequence.incrementAndGet());
			for (Subscriber subscriber : subscribers) {
				assertThat(subscriber.received()).as(subscriber.name()).anyMatch((message) -> message.startsWith(prefix));
			}
		});
	}

	private record Subscriber(String name, Queue<String> received, Runnable stop) {

		static Subscriber listenerContainer(String name, ApplicationContext context) {
			Queue<String> received = new ConcurrentLinkedQueue<>();
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(context.getBean(RedisConnectionFactory.class));
			container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
					new ChannelTopic("news"));
			container.afterPropertiesSet();
			container.start();
			return new Subscriber(name, received, container::stop);
		}

		static Subscriber reactive(String name, ApplicationContext context) {
			Queue<String> received = new ConcurrentLinkedQueue<>();
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					context.getBean(ReactiveRedisConnectionFactory.class));
			Disposable subscription = container.receive(ChannelTopic.of("news"))
				.subscribe((message) -> received.add(new String(message.getMessage())));
			return new Subscriber(name, received, () -> {
				subscription.dispose();
				container.destroy();
			});
		}

	}

}
