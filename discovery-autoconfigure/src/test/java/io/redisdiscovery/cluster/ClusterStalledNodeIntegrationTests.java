package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.NewsSubscription;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A cluster node that stops answering (behind a proxy that black-holes it) gets its connection replaced after command
 * timeouts in a row, and only it: the connections to the other masters, and the commands in flight on them, stay.
 */
@ExtendWith(RedisLabExtension.class)
class ClusterStalledNodeIntegrationTests {

	private static final String CLIENT_NAME = "stalled-node-app";

	@Test
	void aSilentNodeShouldHaveItsConnectionReplacedAndTheOthersKept(RedisLab lab) {
		ProxiedCluster proxied = ProxiedCluster.start(lab);
		RedisClusterLab cluster = proxied.cluster();
		RedisServer silent = cluster.masters().get(0);
		List<RedisServer> others = cluster.masters().subList(1, cluster.masters().size());
		proxied
			.starter("redis.discovery.client-name=" + CLIENT_NAME, "redis.discovery.timeout.command=500ms",
					"redis.discovery.retry.max-attempts=3")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				for (RedisServer master : cluster.masters()) {
					redis.opsForValue().set(proxied.keyServedBy(master, "key-"), "v");
				}
				Map<RedisServer, List<String>> before = new LinkedHashMap<>();
				others.forEach((master) -> before.put(master, clientIds(master)));
				assertThat(before.values()).allSatisfy((ids) -> assertThat(ids).isNotEmpty());

				proxied.proxies().get(silent).blackhole(true);
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> redis.opsForValue().get(proxied.keyServedBy(silent, "key-")));

				// The PING probes take up to one command timeout; the other masters' connections must outlive them.
				await("the other masters' connections to stay").during(Duration.ofSeconds(2))
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> {
						for (RedisServer master : others) {
							redis.opsForValue().set(proxied.keyServedBy(master, "key-"), "w");
							assertThat(clientIds(master)).as("connections of the application on %s", master)
								.containsAll(before.get(master));
						}
					});
				proxied.proxies().get(silent).blackhole(false);
				// Until Lettuce's next reconnect attempt gets through, commands to the node are rejected.
				await("the silent node's connection to be replaced").atMost(Duration.ofSeconds(10))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(redis.opsForValue().get(proxied.keyServedBy(silent, "key-")))
						.isEqualTo("v"));
			});
	}

	/**
	 * A connection to a live node over a path that went silent (the node answers new connections): with a one-minute
	 * command timeout no timeout comes to the rescue, so the write waiting on it must go on a new connection once a
	 * probe through one is answered.
	 */
	@Test
	void aWriteOnAConnectionWhosePathWentSilentShouldGoOnANewConnection(RedisLab lab) {
		writtenOnASilencedConnection(lab, (context, key, value) -> CompletableFuture
			.runAsync(() -> context.getBean(StringRedisTemplate.class).opsForValue().set(key, value)));
	}

	/** The same on the reactive API, whose commands go through the same node connections. */
	@Test
	void aReactiveWriteOnAConnectionWhosePathWentSilentShouldGoOnANewConnection(RedisLab lab) {
		writtenOnASilencedConnection(lab,
				(context, key, value) -> new ReactiveStringRedisTemplate(
						context.getBean(ReactiveRedisConnectionFactory.class))
					.opsForValue()
					.set(key, value)
					.toFuture());
	}

	private static void writtenOnASilencedConnection(RedisLab lab, Write write) {
		ProxiedCluster proxied = ProxiedCluster.start(lab);
		RedisServer master = proxied.cluster().masters().get(0);
		String key = proxied.keyServedBy(master, "key-");
		proxied.starter("redis.discovery.timeout.command=60s").run((context) -> {
			write.set(context, key, "before").join();
			proxied.proxies().get(master).silenceConnections();
			CompletableFuture<?> after = write.set(context, key, "after");
			await("the write on the silenced connection").atMost(Duration.ofSeconds(10)).until(after::isDone);
			after.join();
			assertThat(master.command("GET", key)).isEqualTo("after");
		});
	}

	/** A {@code SET} through one of the application's APIs. */
	private interface Write {

		CompletableFuture<?> set(ApplicationContext context, String key, String value);

	}

	/**
	 * A {@code PING} (no key) to a node whose connection's path went silent: the probe must go to one of the node's
	 * slots, since a write to another slot is answered with {@code MOVED}, which counts as no answer. Each master in
	 * turn, so that a probe key falling in one master's slots by chance cannot pass for the rule.
	 */
	@Test
	void aPingOnAConnectionWhosePathWentSilentShouldGoOnANewConnection(RedisLab lab) {
		ProxiedCluster proxied = ProxiedCluster.start(lab);
		proxied.starter("redis.discovery.timeout.command=60s").run((context) -> {
			RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
			try (RedisClusterConnection connection = factory.getClusterConnection()) {
				for (RedisServer master : proxied.cluster().masters()) {
					RedisClusterNode node = nodeOf(connection, proxied.cluster().announcedHostAndPort(master));
					assertThat(connection.ping(node)).isEqualTo("PONG");
					proxied.proxies().get(master).silenceConnections();
					CompletableFuture<String> ping = CompletableFuture.supplyAsync(() -> connection.ping(node));
					await("a PING on the silenced connection to " + master).atMost(Duration.ofSeconds(10))
						.until(ping::isDone);
					assertThat(ping.join()).isEqualTo("PONG");
				}
			}
		});
	}

	/**
	 * A subscriber on a path that went silent (the nodes answer new connections): no command waits on it, so only the
	 * {@code PING} it is sent shows the silence, and TCP keepalive cannot, since the proxy still acknowledges. A
	 * message published afterwards must reach it on a new connection. With a 2 s command timeout, the subscriber is
	 * sent its {@code PING} half a second after its last reply. The reconnect delay is 5 s: the message arrives within
	 * 4 s only if the replaced channel is reconnected at once.
	 */
	@Test
	void aSubscriberOnAPathThatWentSilentShouldBeSubscribedAgainOnANewConnection(RedisLab lab) {
		subscribedOnASilencedPath(lab, NewsSubscription::listenerContainer);
	}

	@Test
	void aReactiveSubscriberOnAPathThatWentSilentShouldBeSubscribedAgainOnANewConnection(RedisLab lab) {
		subscribedOnASilencedPath(lab, NewsSubscription::reactiveListenerContainer);
	}

	private static void subscribedOnASilencedPath(RedisLab lab, Function<ApplicationContext, NewsSubscription> subscribe) {
		ProxiedCluster proxied = ProxiedCluster.start(lab);
		// Cluster Pub/Sub reaches every node's subscribers, whichever node a message is published on.
		RedisServer publisher = proxied.cluster().masters().get(0);
		proxied.starter("redis.discovery.timeout.command=2s", "redis.discovery.reconnect.min-delay=5s",
				"redis.discovery.reconnect.max-delay=60s").run((context) -> {
			try (NewsSubscription subscription = subscribe.apply(context)) {
				await("the subscription").atMost(Duration.ofSeconds(10))
					.until(() -> publishedAndReceived(subscription, publisher, "before"));
				proxied.proxies().values().forEach(TcpProxy::silenceConnections);
				// Messages published meanwhile are lost (Pub/Sub delivers at most once): publish until one arrives.
				await("a message on a new subscription").atMost(Duration.ofSeconds(4))
					.until(() -> publishedAndReceived(subscription, publisher, "after"));
			}
		});
	}

	/**
	 * The same for a subscriber on a replica, whose node is probed with a {@code PING}: a replica would answer the
	 * {@code DEL} a master is probed with by {@code MOVED}, which counts as no answer. Lettuce puts the subscriber on
	 * a node it picks, and on the next node in turn each time it reconnects: its connection is cut until it is on a
	 * replica.
	 */
	@Test
	void aSubscriberOnAReplicaOnAPathThatWentSilentShouldBeSubscribedAgainOnANewConnection(RedisLab lab) {
		ProxiedCluster proxied = ProxiedCluster.start(lab, 1);
		RedisClusterLab cluster = proxied.cluster();
		RedisServer publisher = cluster.masters().get(0);
		proxied.starter("redis.discovery.timeout.command=2s").run((context) -> {
			try (NewsSubscription subscription = NewsSubscription.listenerContainer(context)) {
				await("the subscription").atMost(Duration.ofSeconds(10))
					.until(() -> publishedAndReceived(subscription, publisher, "before"));
				await("the subscriber on a replica").atMost(Duration.ofSeconds(30)).until(() -> {
					RedisServer node = subscriberNode(cluster);
					if (node != null && cluster.masters().contains(node)) {
						proxied.proxies().get(node).killConnections();
					}
					return node != null && !cluster.masters().contains(node)
							&& publishedAndReceived(subscription, publisher, "on a replica");
				});
				proxied.proxies().values().forEach(TcpProxy::silenceConnections);
				await("a message on a new subscription").atMost(Duration.ofSeconds(10))
					.until(() -> publishedAndReceived(subscription, publisher, "after"));
			}
		});
	}

	/** The node the application's subscriber is connected to, if it is connected. */
	private static @Nullable RedisServer subscriberNode(RedisClusterLab cluster) {
		for (RedisServer node : cluster.nodes()) {
			if (!String.valueOf(node.command("CLIENT", "LIST", "TYPE", "pubsub")).isBlank()) {
				return node;
			}
		}
		return null;
	}

	private static boolean publishedAndReceived(NewsSubscription subscription, RedisServer publisher,
			String message) {
		publisher.command("PUBLISH", NewsSubscription.CHANNEL, message);
		return subscription.received().test(message);
	}

	private static RedisClusterNode nodeOf(RedisClusterConnection connection, String announced) {
		for (RedisClusterNode node : connection.clusterGetNodes()) {
			if (announced.equals(node.getHost() + ":" + node.getPort())) {
				return node;
			}
		}
		throw new IllegalStateException("No node at " + announced);
	}

	/** The ids of the application's connections to {@code master}, by their client name. */
	private static List<String> clientIds(RedisServer master) {
		String clients = String.valueOf(master.command("CLIENT", "LIST", "TYPE", "normal"));
		return Arrays.stream(clients.split("\n"))
			.filter((line) -> line.contains(" name=" + CLIENT_NAME + " "))
			.map((line) -> line.substring(0, line.indexOf(' ')))
			.toList();
	}

}
