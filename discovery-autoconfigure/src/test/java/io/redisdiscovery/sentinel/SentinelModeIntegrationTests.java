package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.SentinelGroupOptions;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.test.Workload;
import io.redisdiscovery.test.Workload.WriteStyle;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisLabExtension.class)
@Timeout(180)
class SentinelModeIntegrationTests {

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	/** Sentinel demotes a surviving old master only at its next INFO poll, up to 10 s after the failover. */
	private static final Duration DEMOTION_TIMEOUT = Duration.ofSeconds(20);

	private static final String DATA_PASSWORD = "d4ta-Node-Pw";

	private static final String SENTINEL_PASSWORD = "s3ntinel-Only-Pw";

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter();

	@Test
	void templateShouldWriteToMasterNamedBySentinelsWithSeparateCredentials(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("credentials", 1,
				SentinelGroupOptions.defaults().withDataPassword(DATA_PASSWORD).withSentinelPassword(SENTINEL_PASSWORD));
		sentinel(group)
			.withPropertyValues("redis.discovery.password=" + DATA_PASSWORD,
					"redis.discovery.sentinel.password=" + SENTINEL_PASSWORD)
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("greeting", "hello");
				assertThat(group.master().command("GET", "greeting")).isEqualTo("hello");
				RedisTopology topology = context.getBean(TopologySource.class).current();
				assertThat(topology.hasWritableEndpoint()).isTrue();
				assertThat(topology.endpoints().get(0).node().port()).isEqualTo(group.master().port());
				assertThat(topology.details()).containsEntry("master", "credentials")
					.containsEntry("failoverInProgress", false);
				// Subscriptions are made after startup and a lost one is retried every check-interval (5 s).
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(context.getBean(TopologySource.class)
						.current()
						.details()
						.get("sentinelsSubscribed")).asList().hasSize(3));
				assertThat(topology.toString()).doesNotContain(DATA_PASSWORD).doesNotContain(SENTINEL_PASSWORD);
			});
	}

	@Test
	void workloadShouldSeeNoErrorWhenMasterIsKilled(RedisLab lab) {
		assertNoErrorThroughFailover(lab.startSentinelGroup("kill", 2), SentinelGroup::killMaster);
	}

	@Test
	void workloadShouldSeeNoErrorWhenMasterHangsWithoutClosingConnections(RedisLab lab) {
		// SIGSTOP: the kernel keeps the connections open and acknowledges bytes, nothing answers.
		assertNoErrorThroughFailover(lab.startSentinelGroup("frozen", 2), (group) -> {
			RedisServer master = group.master();
			master.freeze();
			return master;
		});
	}

	@Test
	void switchMasterShouldBeFollowedWhileADiscoveryIsStuckOnTheHungMaster(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("preempt", 2);
		// A long probe timeout keeps the discovery stuck on the frozen master well past the failover.
		sentinel(group)
			.withPropertyValues("redis.discovery.timeout.command=25s", "redis.discovery.sentinel.check-interval=1h")
			.run((context) -> {
				TopologySource topology = context.getBean(TopologySource.class);
				RedisServer frozen = group.master();
				frozen.freeze();
				// Sentinels still name the frozen master for a second, so this discovery probes it and waits.
				CompletableFuture<RedisTopology> stuck = CompletableFuture
					.supplyAsync(() -> topology.refresh("test: probe the frozen master"));
				RedisServer promoted = group.awaitNewMaster(frozen, FAILOVER_TIMEOUT);
				await("the announced master adopted").atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(masterPort(topology.current())).isEqualTo(promoted.port()));
				assertThat(stuck).as("the discovery probing the frozen master").isNotDone();
				// Thawed, the old master still calls itself master until Sentinel demotes it: the discovery that
				// began before the switch must not go back to it.
				frozen.thaw();
				await("the stuck discovery").atMost(Duration.ofSeconds(30)).until(stuck::isDone);
				assertThat(masterPort(topology.current())).isEqualTo(promoted.port());
			});
	}

	private static int masterPort(RedisTopology topology) {
		return topology.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.MASTER)
			.mapToInt((endpoint) -> endpoint.node().port())
			.findFirst()
			.orElse(-1);
	}

	/**
	 * Runs a workload through a fault that makes the Sentinels promote a replica.
	 * @param fault disables the master and returns it
	 */
	private void assertNoErrorThroughFailover(SentinelGroup group, Function<SentinelGroup, RedisServer> fault) {
		String prefix = group.masterName();
		sentinel(group).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, prefix).start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				RedisServer failed = fault.apply(group);
				group.awaitNewMaster(failed, FAILOVER_TIMEOUT);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				// Replication is asynchronous: a write the lost master acknowledged in its last milliseconds may
				// be missing on the promoted replica (a read-back mismatch), but no command may fail.
				assertThat(workload.errors()).filteredOn((error) -> !(error instanceof AssertionError)).isEmpty();
				redis.opsForValue().set(prefix + ":after", "landed");
				// On a loaded machine a second Sentinel can run a failover of its own (a higher epoch) right after the
				// first: the write belongs on whichever master the Sentinels name now.
				await("the write on the master the Sentinels name").atMost(FAILOVER_TIMEOUT)
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(group.master().command("GET", prefix + ":after"))
						.isEqualTo("landed"));
			}
		});
	}

	@ParameterizedTest
	@EnumSource(WriteStyle.class)
	void orderedFailoverShouldSurfaceNoReadOnlyAndLoseNoAcknowledgedWrite(WriteStyle writeStyle, RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("ordered", 1);
		sentinel(group).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "ordered").writingWith(writeStyle).start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				// Writes the old master acknowledged after the promotion are discarded only when it is demoted.
				group.awaitReplicasInSync(DEMOTION_TIMEOUT);
				workload.awaitProgress(100, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				assertThat(workload.incrementErrors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				if (writeStyle != WriteStyle.PIPELINE) {
					workload.assertNoIncrementLostOrDuplicated(redis);
				}
				redis.opsForValue().set("ordered:after", "landed");
				assertThat(promoted.command("GET", "ordered:after")).isEqualTo("landed");
				assertThat(context.getBean(TopologySource.class).current().details()).containsKey("lastSwitchMaster");
			}
		});
	}

	@Test
	void workloadShouldSeeNoErrorWhenSentinelsAreDownAtStartupAndDuringFailover(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("partial", 1);
		List<RedisServer> sentinels = group.sentinels();
		sentinels.get(0).kill();
		sentinel(group).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "partial").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				sentinels.get(1).kill();
				RedisServer oldMaster = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				redis.opsForValue().set("partial:after", "landed");
				assertThat(promoted.command("GET", "partial:after")).isEqualTo("landed");
			}
		});
	}

	@Test
	void runWhenAllSentinelsAreDownShouldStartWithoutMasterThenRecover(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("down", 1);
		group.sentinels().forEach(RedisServer::kill);
		sentinel(group)
			.withPropertyValues("redis.discovery.retry.max-attempts=2", "redis.discovery.sentinel.check-interval=500ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TopologySource topology = context.getBean(TopologySource.class);
				assertThat(topology.current().hasWritableEndpoint()).isFalse();
				assertThat(topology.current().stale()).isTrue();
				assertThat(topology.current().details().get("problems")).asString().contains("unreachable");
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThatException().isThrownBy(() -> redis.opsForValue().get("anything"));
				group.sentinels().forEach(RedisServer::restart);
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(topology.current().hasWritableEndpoint()).isTrue());
				redis.opsForValue().set("down:after", "landed");
				assertThat(group.master().command("GET", "down:after")).isEqualTo("landed");
			});
	}

	@Test
	void runWhenAllSentinelsAreDownAndFailFastShouldFailNamingTheSentinels(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("failfast", 0);
		group.sentinels().forEach(RedisServer::kill);
		sentinel(group).withPropertyValues("redis.discovery.sentinel.fail-fast=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(SentinelMasterUnavailableException.class)
				.hasMessageContaining("'failfast'")
				.hasMessageContaining(group.sentinelAddresses().get(0));
		});
	}

	@Test
	void readFromReplicaPreferredShouldReadFromReplicaAndSurviveFailover(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("reads", 1);
		sentinel(group).withPropertyValues("redis.discovery.sentinel.read-from=replica-preferred").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("reads:key", "v1");
			RedisServer replica = group.replicas().get(0);
			await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(replica.command("GET", "reads:key")));
			long replicaReadsBefore = getCalls(replica);
			for (int i = 0; i < 20; i++) {
				assertThat(redis.opsForValue().get("reads:key")).isEqualTo("v1");
			}
			assertThat(getCalls(replica) - replicaReadsBefore).isGreaterThanOrEqualTo(20);
			assertThat(context.getBean(TopologySource.class).current().endpoints()).filteredOn(TopologyEndpoint::inUse)
				.extracting(TopologyEndpoint::role)
				.contains(NodeRole.MASTER, NodeRole.REPLICA);

			RedisServer oldMaster = group.master();
			group.failover();
			RedisServer promoted = group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
			for (int i = 0; i < 20; i++) {
				String value = "after-" + i;
				redis.opsForValue().set("reads:key", value);
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(redis.opsForValue().get("reads:key")).isEqualTo(value));
			}
			assertThat(promoted.command("GET", "reads:key")).isEqualTo("after-19");
		});
	}

	@Test
	void waitShouldConfirmWritesWithReplicasAndFailWhenTooFewAcknowledge(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("wait", 1);
		sentinel(group).withPropertyValues("redis.discovery.sentinel.wait.replicas=1").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("wait:key", "confirmed");
			// WAIT returned only once the replica had the write, so it is there without waiting.
			assertThat(group.replicas().get(0).command("GET", "wait:key")).isEqualTo("confirmed");
			assertThat(redis.opsForValue().get("wait:key")).isEqualTo("confirmed");
		});
		sentinel(group).withPropertyValues("redis.discovery.sentinel.wait.replicas=2").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatExceptionOfType(ReplicaAcknowledgementException.class)
				.isThrownBy(() -> redis.opsForValue().set("wait:key", "unconfirmed"))
				.withMessageContaining("1 of 2");
		});
	}

	/**
	 * A {@code RedisMessageListenerContainer} (channels and patterns) on the starter's factory keeps receiving after
	 * the master it subscribed on is failed over, and nothing is left stuck: a command and a transaction on a new
	 * dedicated connection still run.
	 */
	@Test
	void listenerContainerShouldKeepReceivingAfterAFailover(RedisLab lab) throws Exception {
		SentinelGroup group = lab.startSentinelGroup("pubsub", 1);
		sentinel(group).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			Queue<String> received = new ConcurrentLinkedQueue<>();
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(context.getBean(RedisConnectionFactory.class));
			container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
					new ChannelTopic("news"));
			container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
					new PatternTopic("alerts.*"));
			container.afterPropertiesSet();
			container.start();
			try {
				awaitDelivered(redis, "news", "before", received);
				RedisServer oldMaster = group.master();
				group.failover();
				group.awaitNewMaster(oldMaster, FAILOVER_TIMEOUT);
				// Sentinel demotes the old master at its next check; the subscription must end up on the new one.
				group.awaitReplicasInSync(DEMOTION_TIMEOUT);
				awaitDelivered(redis, "news", "after", received);
				awaitDelivered(redis, "alerts.disk", "full", received);
				redis.opsForValue().set("pubsub:still", "working");
				assertThat(redis.execute(new SessionCallback<List<Object>>() {

					@Override
					@SuppressWarnings({ "unchecked", "rawtypes" })
					public List<Object> execute(RedisOperations operations) {
						operations.multi();
						operations.opsForValue().get("pubsub:still");
						return operations.exec();
					}

				})).containsExactly("working");
			}
			finally {
				container.destroy();
			}
		});
	}

	private static void awaitDelivered(StringRedisTemplate redis, String channel, String message,
			Queue<String> received) {
		// Publishing until delivered: a subscription being moved to the new master misses what came before.
		await().atMost(FAILOVER_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			redis.convertAndSend(channel, message);
			assertThat(received).contains(message);
		});
	}

	private ApplicationContextRunner sentinel(SentinelGroup group) {
		return this.contextRunner.withPropertyValues("redis.discovery.mode=sentinel",
				"redis.discovery.sentinel.master=" + group.masterName(),
				"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()));
	}

	private static long getCalls(RedisServer server) {
		String stats = server.info("commandstats");
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_get:")) {
				return Long.parseLong(line.replaceAll("^cmdstat_get:calls=(\\d+),.*", "$1").trim());
			}
		}
		return 0;
	}

}
