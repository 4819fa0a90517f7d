package io.redisdiscovery.dns;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.Workload;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChange;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
class DnsModeIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(1);

	@Test
	void workloadShouldSeeNoErrorWhenTheProxyItUsesIsKilled(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11", "127.0.0.12", "127.0.0.13");
		dns.contextRunner().run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "kill").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				TcpProxy used = dns.proxyInUse();
				used.close();
				await("traffic moved to another proxy").atMost(Duration.ofSeconds(5))
					.until(() -> dns.proxies.values().stream().anyMatch((p) -> p != used && p.activeConnections() > 0));
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void failedAddressShouldCoolDownSoThatFirstSelectionMovesOn(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		// A long TTL: the answer order stays as it is, so only the cool-down can steer away from the dead proxy.
		dns.records(Duration.ofSeconds(60), "127.0.0.11", "127.0.0.12", "127.0.0.13");
		dns.contextRunner().withPropertyValues("redis.discovery.dns.selection=first", "redis.discovery.dns.cool-down=60s").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			try (Workload workload = new Workload(redis, "first").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				TcpProxy used = dns.proxyInUse();
				used.close();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
				assertThat(topology.current().endpoints())
					.filteredOn((endpoint) -> endpoint.node().host().equals(used.host()))
					.singleElement()
					.satisfies((endpoint) -> {
						assertThat(endpoint.reachable()).isFalse();
						assertThat(endpoint.details()).containsKey("coolingDownUntil");
					});
			}
		});
	}

	@Test
	void reconnectAfterAProxyDiesShouldGoToALiveAddressOnTheFirstAttempt(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		// Long TTL and "first": without help the reconnect would dial the dead first address again.
		dns.records(Duration.ofSeconds(60), "127.0.0.11", "127.0.0.12", "127.0.0.13");
		dns.contextRunner()
			.withPropertyValues("redis.discovery.dns.selection=first", "redis.discovery.reconnect.min-delay=200ms")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				List<Event> events = new CopyOnWriteArrayList<>();
				Disposable subscription = context.getBean(ClientResources.class)
					.eventBus()
					.get()
					.subscribe((event) -> {
						if (event instanceof ReconnectFailedEvent || event instanceof ConnectionActivatedEvent) {
							events.add(event);
						}
					});
				try (Workload workload = new Workload(redis, "first-attempt").start(4)) {
					workload.awaitProgress(200, Duration.ofSeconds(30));
					TcpProxy dead = dns.proxyInUse();
					events.clear();
					dead.refuseNewConnections(true);
					dead.killConnections();
					await("reconnected").atMost(Duration.ofSeconds(10))
						.until(() -> events.stream().anyMatch(ConnectionActivatedEvent.class::isInstance));
					workload.awaitProgress(200, Duration.ofSeconds(30));
					workload.close();
					assertThat(workload.errors()).isEmpty();
					assertThat(events).filteredOn(ReconnectFailedEvent.class::isInstance)
						.as("reconnect attempts that failed")
						.isEmpty();
					assertThat(events).filteredOn(ConnectionActivatedEvent.class::isInstance)
						.map((event) -> host(((ConnectionActivatedEvent) event).remoteAddress()))
						.isNotEmpty()
						.doesNotContain(dead.host());
				}
				finally {
					subscription.dispose();
				}
			});
	}

	@Test
	void aDroppedConnectionShouldMakeTheHostnameBeLookedUpAgainBeforeItsTtlEnds(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		Duration longTtl = Duration.ofSeconds(60);
		dns.records(longTtl, "127.0.0.11");
		dns.contextRunner().withPropertyValues("redis.discovery.dns.refresh-interval=60s").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TcpProxy dead = dns.proxy("127.0.0.11");
			try (Workload workload = new Workload(redis, "relookup").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				// The record set grows as the only proxy dies; the next scheduled lookup is a minute away.
				dns.records(longTtl, "127.0.0.11", "127.0.0.12", "127.0.0.13");
				dead.refuseNewConnections(true);
				dead.killConnections();
				await("traffic moved to a new address").atMost(longTtl.dividedBy(6))
					.until(() -> dns.proxy("127.0.0.12").activeConnections() > 0
							|| dns.proxy("127.0.0.13").activeConnections() > 0);
				workload.awaitProgress(200, longTtl.dividedBy(6));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void connectionsShouldMoveOffAnAddressBeforeItsProxyDiesWhenTheRecordSetIsReplaced(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11");
		dns.contextRunner().run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			List<TopologyChange> changes = new CopyOnWriteArrayList<>();
			context.getBean(TopologySource.class).addListener(changes::add);
			TcpProxy old = dns.proxy("127.0.0.11");
			Queue<String> received = new ConcurrentLinkedQueue<>();
			RedisMessageListenerContainer subscriber = new RedisMessageListenerContainer();
			subscriber.setConnectionFactory(context.getBean(RedisConnectionFactory.class));
			subscriber.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
					new ChannelTopic("news"));
			subscriber.afterPropertiesSet();
			subscriber.start();
			try (Workload workload = new Workload(redis, "replace").start(4)) {
				awaitReceived(redis, received, "before");
				workload.awaitProgress(200, Duration.ofSeconds(30));
				assertThat(old.activeConnections()).isPositive();
				dns.records(TTL, "127.0.0.12", "127.0.0.13");
				await("connections, the subscriber's too, left the old proxy").atMost(Duration.ofSeconds(5))
					.until(() -> old.activeConnections() == 0);
				awaitReceived(redis, received, "after");
				workload.awaitProgress(200, Duration.ofSeconds(30));
				old.close();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				assertThat(workload.incrementErrors()).as("in-flight INCRs failed by the move").isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
			finally {
				subscriber.stop();
			}
			assertThat(changes).anySatisfy((change) -> assertThat(answer(change.after()))
				.containsExactlyInAnyOrder("127.0.0.12", "127.0.0.13"));
		});
	}

	/** Publishes until the subscriber has a message with {@code prefix}. */
	private static void awaitReceived(StringRedisTemplate redis, Queue<String> received, String prefix) {
		AtomicInteger sequence = new AtomicInteger();
		await("the subscriber to receive a message published " + prefix).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> {
				redis.convertAndSend("news", prefix + sequence.incrementAndGet());
				assertThat(received).anyMatch((message) -> message.startsWith(prefix));
			});
	}

	@Test
	void trafficShouldContinueOnTheLastKnownAddressesWhenDnsStopsAnswering(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11", "127.0.0.12");
		dns.contextRunner().run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			try (Workload workload = new Workload(redis, "silent").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				dns.dns.stopAnswering();
				await("topology marked stale").atMost(Duration.ofSeconds(5))
					.until(() -> topology.current().stale());
				// A reconnect now has only the last known addresses to go to.
				dns.proxyInUse().killConnections();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				assertThat(topology.current().stale()).isTrue();
				assertThat(answer(topology.current())).containsExactlyInAnyOrder("127.0.0.11", "127.0.0.12");
				dns.dns.resumeAnswering();
				await("topology fresh again").atMost(Duration.ofSeconds(10))
					.until(() -> !topology.current().stale());
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void recordChangeShouldBeFollowedWithinTheRecordTtlNotTheRefreshInterval(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11");
		dns.contextRunner().withPropertyValues("redis.discovery.dns.refresh-interval=60s").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			redis.opsForValue().set("ttl", "before");
			assertThat(dns.proxy("127.0.0.11").activeConnections()).isPositive();
			dns.records(TTL, "127.0.0.12");
			// TTL + 1 s of slack, far below both the refresh interval and the JVM's 30 s cache.
			await("new record followed").atMost(TTL.plusSeconds(1))
				.until(() -> answer(topology.current()).equals(List.of("127.0.0.12")));
			await("connection moved to the new address").atMost(Duration.ofSeconds(5)).until(() -> {
				redis.opsForValue().set("ttl", "after");
				return dns.proxy("127.0.0.12").activeConnections() > 0
						&& dns.proxy("127.0.0.11").activeConnections() == 0;
			});
			assertThat(dns.master.command("GET", "ttl")).isEqualTo("after");
		});
	}

	@Test
	void closingDedicatedConnectionsShouldNeitherLookLikeDropsNorSkewTheConnectionCounts(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		// Long TTL and refresh interval: any lookup during the burst is one a closed connection caused.
		Duration longTtl = Duration.ofSeconds(60);
		dns.records(longTtl, "127.0.0.11", "127.0.0.12", "127.0.0.13");
		dns.contextRunner().withPropertyValues("redis.discovery.dns.refresh-interval=60s").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			DnsTopologySource topology = (DnsTopologySource) context.getBean(TopologySource.class);
			redis.opsForValue().set("burst", "0");
			int queriesBefore = dns.dns.queryCount(DnsLab.HOSTNAME);
			// Transactions and pipelines each open a dedicated connection and close it when done.
			List<CompletableFuture<Void>> threads = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				threads.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 40; i++) {
						redis.execute(new SessionCallback<List<Object>>() {
							@Override
							@SuppressWarnings("unchecked")
							public List<Object> execute(RedisOperations operations) {
								operations.multi();
								operations.opsForValue().increment("burst");
								return operations.exec();
							}
						});
						redis.executePipelined(new SessionCallback<Object>() {
							@Override
							@SuppressWarnings("unchecked")
							public @Nullable Object execute(RedisOperations operations) {
								operations.opsForValue().increment("burst");
								return null;
							}
						});
					}
				}));
			}
			CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(redis.opsForValue().get("burst")).isEqualTo(String.valueOf(8 * 40 * 2));
			await("every address's connection count is the proxy's").atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(connectionCounts(topology.current())).isEqualTo(
						dns.proxies.values().stream().filter((proxy) -> proxy.activeConnections() > 0)
							.collect(Collectors.toMap(TcpProxy::host, TcpProxy::activeConnections))));
			assertThat(topology.connectChecksStarted()).as("TCP checks started").isZero();
			assertThat(dns.dns.queryCount(DnsLab.HOSTNAME)).as("DNS queries").isEqualTo(queriesBefore);
			assertThat(topology.addresses())
				.noneMatch((address) -> topology.addressState(address).isSuspect(Instant.now()));
			// A connection the proxy drops is still a drop.
			dns.proxyInUse().killConnections();
			await("a TCP check of the dropped connection's address").atMost(Duration.ofSeconds(5))
				.until(() -> topology.connectChecksStarted() > 0);
		});
	}

	@Test
	void aLookupWhoseAQueryTimesOutWhileAaaaAnswersShouldKeepTheIpv4AddressesAndTheirConnections(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		// ::1 is only there for the AAAA query to answer; "first" keeps connections on the IPv4 address.
		dns.records(TTL, "127.0.0.11", "::1");
		dns.contextRunner().withPropertyValues("redis.discovery.dns.selection=first").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TopologySource topology = context.getBean(TopologySource.class);
			List<TopologyChange> changes = new CopyOnWriteArrayList<>();
			topology.addListener(changes::add);
			TcpProxy used = dns.proxy("127.0.0.11");
			try (Workload workload = new Workload(redis, "half").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				assertThat(used.activeConnections()).isPositive();
				int queries = dns.dns.queryCount(DnsLab.HOSTNAME);
				dns.dns.dropQueries("A");
				// Three lookups (an A and an AAAA query each) with the A query lost, and the outcome of the second.
				await("lookups without A answers").atMost(Duration.ofSeconds(10))
					.until(() -> dns.dns.queryCount(DnsLab.HOSTNAME) >= queries + 6);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				assertThat(answer(topology.current())).contains("127.0.0.11").hasSize(2);
				assertThat(changes).as("changes that left 127.0.0.11 outside the answer")
					.noneSatisfy((change) -> assertThat(answer(change.after())).doesNotContain("127.0.0.11"));
				assertThat(used.activeConnections()).isPositive();
				dns.dns.resumeAnswering();
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
			}
		});
	}

	@Test
	void theApplicationsNettyCustomizerShouldStillApplyNextToTheConnectionCounting(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11");
		AtomicInteger customized = new AtomicInteger();
		NettyCustomizer applications = new NettyCustomizer() {
			@Override
			public void afterChannelInitialized(Channel channel) {
				customized.incrementAndGet();
			}
		};
		dns.contextRunner()
			.withBean(ClientResourcesBuilderCustomizer.class, () -> (builder) -> builder.nettyCustomizer(applications))
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				TopologySource topology = context.getBean(TopologySource.class);
				redis.opsForValue().set("customized", "yes");
				assertThat(customized).hasPositiveValue();
				await("the connection counted").atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(connectionCounts(topology.current()))
						.isEqualTo(Map.of("127.0.0.11", dns.proxy("127.0.0.11").activeConnections())));
			});
	}

	private static Map<String, Integer> connectionCounts(RedisTopology topology) {
		Map<String, Integer> counts = new HashMap<>();
		for (TopologyEndpoint endpoint : topology.endpoints()) {
			int connections = (Integer) endpoint.details().get("connections");
			if (connections > 0) {
				counts.put(endpoint.node().host(), connections);
			}
		}
		return counts;
	}

	private static String host(SocketAddress address) {
		return ((InetSocketAddress) address).getAddress().getHostAddress();
	}

	static List<String> answer(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> Boolean.TRUE.equals(endpoint.details().get(DnsTopologySource.IN_DNS_ANSWER)))
			.map(TopologyEndpoint::node)
			.map((node) -> node.host())
			.toList();
	}

}
