package io.redisdiscovery.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.SentinelGroupOptions;
import io.redisdiscovery.test.HttpGetter;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs applications with distinctive passwords and DEBUG logging through normal work and failures, then scans
 * everything they showed: logs, Actuator responses, metric tags, exception messages and {@code toString()}.
 */
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
class SecretsLeakIntegrationTests {

	private static final String DATA_PASSWORD = "Dat4-Pw-Leak-Canary";

	private static final String SENTINEL_PASSWORD = "S3ntinel-Pw-Leak-Canary";

	private static final String ACL_USER = "app-user";

	private static final List<String> DEBUG_LOGGERS = List.of("io.lettuce", "io.redisdiscovery",
			"org.springframework.data.redis");

	private static final Pattern METRIC_NAME = Pattern.compile("\"(redis[^\"]*)\"");

	@Test
	void standaloneWithAclUserShouldNeverShowThePassword(RedisLab lab, CapturedOutput output) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withAclUser(ACL_USER, DATA_PASSWORD));
		List<String> shown = new ArrayList<>();
		try (ConfigurableApplicationContext context = start("redis.discovery.mode=standalone",
				"redis.discovery.standalone.host=127.0.0.1", "redis.discovery.standalone.port=" + server.port(),
				"redis.discovery.username=" + ACL_USER, "redis.discovery.password=" + DATA_PASSWORD)) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("canary", "alive");
			server.kill();
			shown.add(failureOf(() -> redis.opsForValue().get("canary")));
			server.restart();
			// Reads may still fail until the reconnect (3 attempts, 500 ms timeouts); what is shown is checked below.
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(redis.opsForValue().get("canary")).isNull());
			shown.addAll(everythingShown(context));
		}
		assertNoSecret(shown, output);
	}

	@Test
	void sentinelWithSeparateCredentialsShouldNeverShowEitherPassword(RedisLab lab, CapturedOutput output) {
		SentinelGroup group = lab.startSentinelGroup("secrets", 1,
				SentinelGroupOptions.defaults().withDataPassword(DATA_PASSWORD).withSentinelPassword(SENTINEL_PASSWORD));
		List<String> shown = new ArrayList<>();
		try (ConfigurableApplicationContext context = start("redis.discovery.mode=sentinel",
				"redis.discovery.sentinel.master=" + group.masterName(),
				"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
				"redis.discovery.sentinel.password=" + SENTINEL_PASSWORD,
				"redis.discovery.password=" + DATA_PASSWORD)) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("canary", "alive");
			RedisServer previous = group.killMaster();
			group.awaitNewMaster(previous, Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				redis.opsForValue().set("canary", "moved");
				assertThat(redis.opsForValue().get("canary")).isEqualTo("moved");
			});
			shown.addAll(everythingShown(context));
		}
		try (ConfigurableApplicationContext context = start("redis.discovery.mode=sentinel",
				"redis.discovery.startup=fail-fast", "redis.discovery.sentinel.master=" + group.masterName(),
				"redis.discovery.sentinel.nodes=" + String.join(",", group.sentinelAddresses()),
				"redis.discovery.sentinel.password=wrong-" + SENTINEL_PASSWORD,
				"redis.discovery.password=wrong-" + DATA_PASSWORD)) {
			shown.add("unexpectedly started");
		}
		catch (RuntimeException ex) {
			shown.add(stackTrace(ex));
		}
		assertNoSecret(shown, output);
	}

	@AfterEach
	void restoreLogLevels() {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		for (String logger : DEBUG_LOGGERS) {
			logging.setLogLevel(logger, null);
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0",
				"management.endpoints.web.exposure.include=health,redistopology,configprops,env,metrics",
				"management.endpoint.health.show-details=always", "management.endpoint.configprops.show-values=always",
				"management.endpoint.env.show-values=always", "redis.discovery.timeout.command=500ms", "redis.discovery.retry.max-attempts=3"));
		DEBUG_LOGGERS.forEach((logger) -> all.add("logging.level." + logger + "=DEBUG"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(TestApplication.class).properties(all.toArray(String[]::new)).run();
	}

	private static List<String> everythingShown(ConfigurableApplicationContext context) {
		HttpGetter http = new HttpGetter(((WebServerApplicationContext) context).getWebServer().getPort());
		List<String> shown = new ArrayList<>();
		shown.add(http.post("/actuator/redis-topology").body());
		for (String path : List.of("/actuator/redis-topology", "/actuator/health", "/actuator/configprops",
				"/actuator/env")) {
			shown.add(http.get(path).body());
		}
		assertThat(http.get("/actuator/env/redis.discovery.password").body()).as("env shows the masked password")
			.contains("\"value\":\"******\"");
		String metrics = http.get("/actuator/metrics").body();
		shown.add(metrics);
		Matcher names = METRIC_NAME.matcher(metrics);
		int redisMetrics = 0;
		while (names.find()) {
			shown.add(http.get("/actuator/metrics/" + names.group(1)).body());
			redisMetrics++;
		}
		assertThat(redisMetrics).as("Redis meters scanned").isPositive();
		assertThat(shown.get(3)).as("configprops shows the starter").contains("redis.discovery");
		shown.add(context.getBean(TopologySource.class).current().toString());
		shown.add(context.getBean(TopologySource.class).toString());
		return shown;
	}

	private static String failureOf(Runnable command) {
		try {
			command.run();
			return "";
		}
		catch (RuntimeException ex) {
			return stackTrace(ex);
		}
	}

	private static String stackTrace(Throwable ex) {
		StringWriter text = new StringWriter();
		ex.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

	private static void assertNoSecret(List<String> shown, CapturedOutput output) {
		assertThat(output.getAll()).as("captured output").contains("DEBUG").contains("io.lettuce");
		for (String text : shown) {
			assertThat(text).doesNotContain(DATA_PASSWORD).doesNotContain(SENTINEL_PASSWORD);
		}
		assertThat(output.getAll()).doesNotContain(DATA_PASSWORD).doesNotContain(SENTINEL_PASSWORD);
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
