package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many application instances losing their master at once must not come back in one burst: 200 connection
 * factories with the starter's client configuration share one JVM, and the arrival times of their reconnects
 * are measured at a proxy standing in for the master, and the delays they scheduled at the clients.
 */
@ExtendWith(RedisLabExtension.class)
class ReconnectJitterIntegrationTests {

	private static final int INSTANCES = 200;

	private static final Duration BIN = Duration.ofMillis(50);

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void firstReconnectsAfterMasterLossShouldBeSpreadOverTheJitterWindow(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + proxy.port(), "redis.discovery.reconnect.min-delay=100ms")
			.run((context) -> {
				LettuceConnectionFactory starter = context.getBean(RetryingLettuceConnectionFactory.class);
				Queue<Duration> firstDelays = new ConcurrentLinkedQueue<>();
				Disposable subscription = context.getBean(ClientResources.class)
					.eventBus()
					.get()
					.filter(ReconnectAttemptEvent.class::isInstance)
					.map(ReconnectAttemptEvent.class::cast)
					.filter((event) -> event.getAttempt() == 1)
					.subscribe((event) -> firstDelays.add(event.getDelay()));
				List<LettuceConnectionFactory> instances = new ArrayList<>();
				try {
					for (int i = 0; i < INSTANCES; i++) {
						instances.add(connectedInstance(starter));
					}
					// The master dies and its replacement is already up: nothing but the delay spreads the clients.
					proxy.killConnections();
					// Lettuce's event bus drops events emitted concurrently, so not every instance is seen. The event
					// is published when the attempt runs, after its delay: look only once the window (100-200 ms) has
					// passed, or a loaded machine shows the early half of the delays only (seen in CI).
					await("instances scheduled their first reconnect").atMost(Duration.ofSeconds(20))
						.pollDelay(Duration.ofMillis(500))
						.until(() -> firstDelays.size() >= INSTANCES / 2);
					Map<Long, Integer> histogram = new TreeMap<>();
					firstDelays.forEach((delay) -> histogram.merge(delay.toMillis() / 25 * 25, 1, Integer::sum));
					// Window of the first attempt: 100 ms to 200 ms, in four bins of 25 ms.
					assertThat(histogram).as("first reconnect delays per 25 ms").hasSizeGreaterThanOrEqualTo(4);
					assertThat(histogram.values()).as("first reconnect delays per 25 ms: %s", histogram)
						.allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(firstDelays.size() / 2));
				}
				finally {
					subscription.dispose();
					instances.forEach(LettuceConnectionFactory::destroy);
				}
			});
	}

	@Test
	void reconnectsAfterMasterLossShouldArriveSpreadNotInOneBurst(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + proxy.port())
			.run((context) -> {
				LettuceConnectionFactory starter = context.getBean(RetryingLettuceConnectionFactory.class);
				List<LettuceConnectionFactory> instances = new ArrayList<>();
				try {
					for (int i = 0; i < INSTANCES; i++) {
						instances.add(connectedInstance(starter));
					}
					proxy.refuseNewConnections(true);
					proxy.killConnections();
					// The master stays away long enough for every instance to fail a few reconnects.
					await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
					int acceptedBefore = proxy.acceptTimes().size();
					Instant back = Instant.now();
					proxy.refuseNewConnections(false);
					await("every instance reconnected").atMost(Duration.ofSeconds(20))
						.until(() -> proxy.acceptTimes().size() - acceptedBefore >= INSTANCES);
					List<Instant> arrivals = proxy.acceptTimes().subList(acceptedBefore, acceptedBefore + INSTANCES);
					Map<Long, Integer> histogram = histogram(back, arrivals);
					assertThat(histogram.values()).as("arrivals per %s since the master came back: %s", BIN, histogram)
						.allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(INSTANCES / 4));
					assertThat(Duration.between(arrivals.get(0), arrivals.get(INSTANCES - 1)))
						.as("spread of the arrivals").isGreaterThanOrEqualTo(Duration.ofMillis(250));
				}
				finally {
					instances.forEach(LettuceConnectionFactory::destroy);
				}
			});
	}

	/**
	 * One more application instance: a factory with the starter's client configuration (its client resources,
	 * hence its jittered reconnect delay), connected.
	 */
	private static LettuceConnectionFactory connectedInstance(LettuceConnectionFactory starter) {
		LettuceConnectionFactory instance = new LettuceConnectionFactory(starter.getStandaloneConfiguration(),
				starter.getClientConfiguration());
		instance.afterPropertiesSet();
		instance.start();
		try (RedisConnection connection = instance.getConnection()) {
			connection.ping();
		}
		return instance;
	}

	private static Map<Long, Integer> histogram(Instant start, List<Instant> arrivals) {
		Map<Long, Integer> bins = new TreeMap<>();
		for (Instant arrival : arrivals) {
			long bin = Duration.between(start, arrival).toMillis() / BIN.toMillis();
			bins.merge(bin * BIN.toMillis(), 1, Integer::sum);
		}
		return bins;
	}

}
