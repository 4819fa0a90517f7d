package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisClusterOptions;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.SentinelGroupOptions;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ACL user and password on the data nodes (and, in Sentinel mode, another user and password on the Sentinels) in
 * every discovery mode: the default users are protected by passwords only the lab knows, so every application
 * connection must authenticate as its ACL user; no password may show up in the output, even at DEBUG level.
 */
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
@Timeout(180)
class AclCredentialsIntegrationTests {

	private static final String LAB_PASSWORD = "lab-Only-Default-Pw";

	private static final String DATA_USER = "app-data";

	private static final String DATA_PASSWORD = "D4ta-Acl-Canary";

	private static final String SENTINEL_USER = "app-sentinel";

	private static final String SENTINEL_PASSWORD = "S3ntinel-Acl-Canary";

	private static final List<String> DEBUG_LOGGERS = List.of("io.lettuce", "io.redisdiscovery",
			"org.springframework.data.redis");

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = DiscoveryContextRunners.withStarter()
		.withPropertyValues("redis.discovery.username=" + DATA_USER, "redis.discovery.password=" + DATA_PASSWORD);

	@BeforeEach
	void logAtDebugLevel() {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		DEBUG_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, LogLevel.DEBUG));
	}

	@AfterEach
	void restoreLogLevels() {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		DEBUG_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, null));
	}

	@Test
	void dnsModeShouldAuthenticateAsTheAclUserAcrossARestart(RedisLab lab, CapturedOutput output) {
		RedisServer server = lab.startServer(aclServer());
		LabDnsServer dns = lab.startDnsServer();
		dns.setRecords("acl.lab.test", Duration.ofSeconds(5), server.host());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=dns", "redis.discovery.dns.hostname=acl.lab.test",
					"redis.discovery.dns.port=" + server.port(), "redis.discovery.dns.nameservers=" + dns.hostAndPort())
			.run((context) -> {
				assertWriteAndRead(context, "dns");
				server.restart();
				await("the connection to come back").atMost(RECOVERY_TIMEOUT)
					.untilAsserted(() -> assertWriteAndRead(context, "dns-after"));
				assertAuthenticatedAsAclUser(server);
			});
		assertNoPassword(output);
	}

	@Test
	void loadBalancerModeShouldAuthenticateAsTheAclUserWhenItsConnectionDies(RedisLab lab, CapturedOutput output) {
		RedisServer server = lab.startServer(aclServer());
		TcpProxy balancer = lab.startProxy(server.address());
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port())
			.run((context) -> {
				assertWriteAndRead(context, "lb");
				balancer.killConnections();
				assertWriteAndRead(context, "lb-after");
				assertAuthenticatedAsAclUser(server);
			});
		assertNoPassword(output);
	}

	@Test
	void sentinelModeShouldUseSeparateAclUsersForSentinelsAndDataNodesAcrossAFailover(RedisLab lab,
			CapturedOutput output) {
		SentinelGroup group = lab.startSentinelGroup("acl", 1,
				SentinelGroupOptions.defaults()
					.withDataPassword(LAB_PASSWORD)
					.withDataAclUser(DATA_USER, DATA_PASSWORD)
					.withSentinelPassword(LAB_PASSWORD + "-sentinels")
					.withSentinelAclUser(SENTINEL_USER, SENTINEL_PASSWORD));
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=sentinel", "redis.discovery.sentinel.master=acl",
					"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
					"redis.discovery.sentinel.username=" + SENTINEL_USER,
					"redis.discovery.sentinel.password=" + SENTINEL_PASSWORD)
			.run((context) -> {
				assertWriteAndRead(context, "sentinel");
				RedisServer previous = group.master();
				group.failover();
				RedisServer promoted = group.awaitNewMaster(previous, RECOVERY_TIMEOUT);
				await("writes to reach the new master").atMost(RECOVERY_TIMEOUT).untilAsserted(() -> {
					assertWriteAndRead(context, "sentinel-after");
					assertThat(promoted.command("GET", "sentinel-after")).isEqualTo("sentinel-after");
				});
				assertAuthenticatedAsAclUser(promoted);
				assertThat(group.sentinels().stream().map((sentinel) -> sentinel.command("CLIENT", "LIST")))
					.anySatisfy((clients) -> assertThat(String.valueOf(clients)).contains("user=" + SENTINEL_USER));
			});
		assertNoPassword(output);
	}

	@Test
	void clusterModeShouldAuthenticateAsTheAclUserAcrossAFailover(RedisLab lab, CapturedOutput output) {
		RedisClusterLab cluster = lab.startCluster(3, 1,
				RedisClusterOptions.defaults().withPassword(LAB_PASSWORD).withAclUser(DATA_USER, DATA_PASSWORD));
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=cluster",
					"redis.discovery.cluster.nodes=" + String.join(",", cluster.seedAddresses()))
			.run((context) -> {
				assertWriteAndRead(context, "cluster");
				RedisServer master = cluster.masterForSlot(RedisClusterLab.slotFor("cluster-after"));
				RedisServer replica = cluster.replicasOf(master).get(0);
				cluster.manualFailover(replica);
				await("writes to reach the promoted replica").atMost(RECOVERY_TIMEOUT).untilAsserted(() -> {
					assertWriteAndRead(context, "cluster-after");
					assertThat(replica.command("GET", "cluster-after")).isEqualTo("cluster-after");
				});
				assertAuthenticatedAsAclUser(replica);
			});
		assertNoPassword(output);
	}

	private static RedisServerOptions aclServer() {
		return RedisServerOptions.defaults().withPassword(LAB_PASSWORD).withAclUser(DATA_USER, DATA_PASSWORD);
	}

	private static void assertWriteAndRead(AssertableApplicationContext context, String key) {
		StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
		redis.opsForValue().set(key, key);
		assertThat(redis.opsForValue().get(key)).isEqualTo(key);
		assertThat(context.getBean(TopologySource.class).current().toString()).doesNotContain(DATA_PASSWORD)
			.doesNotContain(SENTINEL_PASSWORD);
	}

	private static void assertAuthenticatedAsAclUser(RedisServer server) {
		assertThat(String.valueOf(server.command("CLIENT", "LIST"))).contains("user=" + DATA_USER);
	}

	private static void assertNoPassword(CapturedOutput output) {
		assertThat(output.getAll()).as("captured output").contains("DEBUG").contains("io.lettuce");
		assertThat(output.getAll()).doesNotContain(DATA_PASSWORD).doesNotContain(SENTINEL_PASSWORD);
	}

}
