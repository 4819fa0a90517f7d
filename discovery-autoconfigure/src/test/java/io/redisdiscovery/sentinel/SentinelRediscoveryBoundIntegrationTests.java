package io.redisdiscovery.sentinel;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.LettuceCompatibility;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads failing against a master that stopped answering (behind a black-holing proxy, so that the Sentinels
 * still see it up and fail nothing over): the discoveries their failures ask for stay within
 * {@code redis.discovery.sentinel.refresh.min-interval}. Each discovery connects to every Sentinel once, so the
 * Sentinels' own {@code total_connections_received} counts them. A failover a Sentinel announces is followed at once
 * all the same.
 */
@ExtendWith(RedisLabExtension.class)
@Timeout(120)
class SentinelRediscoveryBoundIntegrationTests {

	private static final int THREADS = 16;

	private static final Duration WINDOW = Duration.ofSeconds(5);

	private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void failedCommandsShouldDiscoverAtMostOncePerMinInterval(RedisLab lab) throws Exception {
		SentinelGroup group = lab.startSentinelGroup("bounded", 0);
		RedisServer master = group.master();
		TcpProxy proxy = lab.startProxy(master.address());
		RedisServer sentinel = group.sentinels().get(0);
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=bounded",
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
					"redis.discovery.sentinel.check-interval=1h",
					"redis.discovery.sentinel.refresh.min-interval=" + MIN_INTERVAL.toMillis() + "ms",
					"redis.discovery.timeout.command=100ms", "redis.discovery.retry.max-attempts=2")
			.withBean(ClientResourcesBuilderCustomizer.class, () -> (builder) -> builder
				.socketAddressResolver(new ThroughProxy(master, proxy)))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				TopologySource topology = context.getBean(TopologySource.class);
				// 100 ms is short for a first connection on a busy machine: ask again until the master is known.
				await("the master known").atMost(Duration.ofSeconds(30))
					.until(() -> topology.refresh("test: warm-up").hasWritableEndpoint());
				await("a first write").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
					redis.opsForValue().set("bounded:key", "v");
					assertThat(master.command("GET", "bounded:key")).isEqualTo("v");
				});
				proxy.blackhole(true);
				AtomicLong failures = new AtomicLong();
				ExecutorService threads = Executors.newFixedThreadPool(THREADS);
				try {
					long before = connectionsReceived(sentinel);
					long started = System.nanoTime();
					long end = started + WINDOW.toNanos();
					List<Future<?>> running = new ArrayList<>();
					for (int i = 0; i < THREADS; i++) {
						running.add(threads.submit(() -> {
							while (System.nanoTime() < end) {
								try {
									redis.opsForValue().get("bounded:key");
								}
								catch (RuntimeException ex) {
									failures.incrementAndGet();
								}
							}
						}));
					}
					for (Future<?> thread : running) {
						thread.get(WINDOW.toSeconds() + 30, TimeUnit.SECONDS);
					}
					// The INFO that reads the count is itself one connection.
					long discoveries = connectionsReceived(sentinel) - before - 1;
					double seconds = (System.nanoTime() - started) / 1e9;
					long bound = (long) Math.floor(seconds / (MIN_INTERVAL.toMillis() / 1000.0)) + 2;
					assertThat(failures.get()).as("failed commands").isGreaterThan(THREADS);
					assertThat(discoveries).as("discoveries in %.1f s with %d failed commands", seconds, failures.get())
						.isBetween(2L, bound);
				}
				finally {
					threads.shutdownNow();
					proxy.blackhole(false);
				}
				await("recovery once the master answers again").atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(redis.opsForValue().get("bounded:key")).isEqualTo("v"));
			});
	}

	@Test
	void switchMasterShouldBeFollowedAtOnceWhateverTheMinInterval(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("unbounded-switch", 1);
		// The startup discovery began the interval: every discovery a failure asks for now waits an hour.
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=unbounded-switch",
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
					"redis.discovery.sentinel.check-interval=1h", "redis.discovery.sentinel.refresh.min-interval=1h")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				TopologySource topology = context.getBean(TopologySource.class);
				redis.opsForValue().set("unbounded-switch:before", "landed");
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
				await("the +switch-master followed").atMost(Duration.ofSeconds(10))
					.until(() -> topology.current().endpoints().get(0).node().port() == promoted.port());
				redis.opsForValue().set("unbounded-switch:after", "landed");
				assertThat(promoted.command("GET", "unbounded-switch:after")).isEqualTo("landed");
			});
	}

	private static long connectionsReceived(RedisServer sentinel) {
		return Long.parseLong(String.valueOf(sentinel.infoValue("stats", "total_connections_received")).trim());
	}

	/**
	 * The application's resolver: the master's address goes to the proxy, everything else as usual. The Sentinels
	 * know nothing of the proxy, so to them the master stays up.
	 */
	private static final class ThroughProxy extends SocketAddressResolver {

		private final SocketAddressResolver usual = SocketAddressResolver.create(LettuceCompatibility.jvmDnsResolver());

		private final RedisServer master;

		private final TcpProxy proxy;

		ThroughProxy(RedisServer master, TcpProxy proxy) {
			super(LettuceCompatibility.jvmDnsResolver());
			this.master = master;
			this.proxy = proxy;
		}

		@Override
		public SocketAddress resolve(RedisURI redisURI) {
			if (this.master.host().equals(redisURI.getHost()) && this.master.port() == redisURI.getPort()) {
				return this.proxy.address();
			}
			return this.usual.resolve(redisURI);
		}

	}

}
