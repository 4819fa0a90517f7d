package io.redisdiscovery.autoconfigure;

import java.io.Closeable;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.ChannelListener;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the application waits for a lost server, the reconnects must come at the short pace of
 * {@code reconnect.min-delay}, not at the growing backoff meant for an idle client, so that the first write goes as
 * soon as the server accepts again. A subscriber cut off from its server waits as much as a write does. The backoff
 * here may grow to a minute: without the pace, 25 attempts take longer than the deadline.
 */
@ExtendWith(RedisLabExtension.class)
class DemandPacedReconnectIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@Test
	void reconnectsShouldComeAtTheMinimumPaceWhileAWriteWaits(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		awaitAttemptsWhileAWriteWaits(starterThrough(proxy), proxy, 25);
	}

	/**
	 * Lettuce schedules each reconnect on its timer, whose default tick of 100 ms would turn a 5 to 10 ms pace into
	 * one attempt per tick: at most 100 in the deadline, where the pace makes several hundred.
	 */
	@Test
	void reconnectsShouldNotWaitForTheNextTimerTick(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		awaitAttemptsWhileAWriteWaits(starterThrough(proxy).withPropertyValues("redis.discovery.reconnect.min-delay=5ms"),
				proxy, 200);
	}

	@Test
	void reconnectsShouldComeAtTheMinimumPaceWhileASubscriberIsCutOff(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		starterThrough(proxy).run((context) -> {
			AtomicInteger attempts = new AtomicInteger();
			try (ChannelListener listener = new ChannelListener(context.getBean(RedisConnectionFactory.class), "news");
					Closeable counting = countReconnectAttempts(context, attempts)) {
				await("the subscription").atMost(DEADLINE).until(() -> listener.publish(server, "before") > 0);
				// No command waits: only the subscriber does.
				proxy.refuseNewConnections(true);
				proxy.killConnections();
				await("reconnect attempts while a subscriber is cut off").atMost(DEADLINE)
					.until(() -> attempts.get() >= 25);
				proxy.refuseNewConnections(false);
				await("a message after the reconnect").atMost(DEADLINE)
					.until(() -> listener.publish(server, "after") > 0 && listener.hasReceived("after"));
			}
		});
	}

	/**
	 * An application idle when its connection was lost had its next reconnect scheduled with the backoff, here 5 to
	 * 10 s away; its first write must not wait for it once the server accepts again. The write starts only once that
	 * reconnect is scheduled: a write that fails before it is scheduled is a waiting application, whose reconnect
	 * comes at the pace, here also 5 s.
	 */
	@Test
	void aWriteAfterAnIdleOutageShouldNotWaitForTheReconnectScheduledWhileIdle(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		DiscoveryContextRunners.withStarter(proxy.port())
			.withPropertyValues("redis.discovery.reconnect.min-delay=5s", "redis.discovery.reconnect.max-delay=60s")
			.withUserConfiguration(CountLongTimeouts.class)
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				LongTimeouts longTimeouts = context.getBean(LongTimeouts.class);
				redis.opsForValue().set("before", "1");
				int scheduledBefore = longTimeouts.count.get();
				// New connections are accepted at once.
				proxy.killConnections();
				await("the reconnect scheduled while idle").atMost(DEADLINE)
					.until(() -> longTimeouts.count.get() > scheduledBefore);
				CompletableFuture<Void> write = CompletableFuture.runAsync(() -> redis.opsForValue().set("after", "2"));
				await("the write after the outage").atMost(Duration.ofSeconds(3)).until(write::isDone);
				write.join();
				assertThat(server.command("GET", "after")).isEqualTo("2");
			});
	}

	/** Cuts the proxy while a write runs, awaits {@code count} reconnect attempts, then lets the write through. */
	private static void awaitAttemptsWhileAWriteWaits(ApplicationContextRunner starter, TcpProxy proxy, int count) {
		starter.run((context) -> {
			AtomicInteger attempts = new AtomicInteger();
			try (Workload workload = new Workload(context.getBean(StringRedisTemplate.class), "paced").start(1);
					Closeable counting = countReconnectAttempts(context, attempts)) {
				workload.awaitProgress(10, DEADLINE);
				proxy.refuseNewConnections(true);
				proxy.killConnections();
				await(count + " reconnect attempts while a write waits").atMost(DEADLINE)
					.until(() -> attempts.get() >= count);
				proxy.refuseNewConnections(false);
				workload.awaitProgress(1, DEADLINE);
			}
		});
	}

	private static ApplicationContextRunner starterThrough(TcpProxy proxy) {
		return DiscoveryContextRunners.withStarter(proxy.port())
			.withPropertyValues("redis.discovery.reconnect.min-delay=20ms", "redis.discovery.reconnect.max-delay=60s");
	}

	/** Counts Lettuce's reconnect attempts, of every connection of the context, until closed. */
	private static Closeable countReconnectAttempts(ApplicationContext context, AtomicInteger attempts) {
		Disposable subscription = context.getBean(ClientResources.class)
			.eventBus()
			.get()
			.filter(ReconnectAttemptEvent.class::isInstance)
			.subscribe((event) -> attempts.incrementAndGet());
		return subscription::dispose;
	}

	/** Counts the timeouts of 5 s or more scheduled on the starter's timer: after the kill, only the reconnect's. */
	static final class LongTimeouts implements Timer {

		private final Timer timer;

		private final AtomicInteger count = new AtomicInteger();

		LongTimeouts(Timer timer) {
			this.timer = timer;
		}

		@Override
		public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
			if (unit.toSeconds(delay) >= 5) {
				this.count.incrementAndGet();
			}
			return this.timer.newTimeout(task, delay, unit);
		}

		@Override
		public Set<Timeout> stop() {
			return this.timer.stop();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountLongTimeouts {

		@Bean
		LongTimeouts longTimeouts(HashedWheelTimer lettuceTimer) {
			return new LongTimeouts(lettuceTimer);
		}

		@Bean
		ClientResourcesBuilderCustomizer countLongTimeouts(LongTimeouts longTimeouts) {
			return (builder) -> builder.timer(longTimeouts);
		}

	}

}
