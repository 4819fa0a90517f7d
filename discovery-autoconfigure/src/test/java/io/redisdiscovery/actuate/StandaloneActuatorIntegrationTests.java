package io.redisdiscovery.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.test.HttpGetter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = StandaloneActuatorIntegrationTests.TestApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,redistopology,configprops,env",
				"management.endpoint.health.show-details=always",
				"redis.discovery.password=" + StandaloneActuatorIntegrationTests.PASSWORD,
				"redis.discovery.health.timeout=1s", "redis.discovery.timeout.command=500ms" })
@ExtendWith({ RedisLabExtension.class, OutputCaptureExtension.class })
@DirtiesContext
class StandaloneActuatorIntegrationTests {

	static final String PASSWORD = "Pw-4ctuator-N3ver-Sh0wn";

	private static RedisServer server;

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redis;

	@BeforeAll
	static void startRedis(RedisLab lab) {
		server = lab.startServer(RedisServerOptions.defaults().withPassword(PASSWORD));
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("redis.discovery.standalone.host", () -> "127.0.0.1");
		registry.add("redis.discovery.standalone.port", () -> server.port());
	}

	@Test
	void topologyShouldDescribeTheWritableMasterAndNeverShowThePassword(CapturedOutput output) {
		HttpGetter http = new HttpGetter(this.port);
		HttpResponse<String> rediscovered = http.post("/actuator/redis-topology");
		assertThat(rediscovered.statusCode()).isEqualTo(200);
		assertThat(rediscovered.body()).contains("\"mode\":\"standalone\"")
			.contains("\"address\":\"127.0.0.1:" + server.port() + "\"")
			.contains("\"role\":\"master\"")
			.contains("\"writable\":true")
			.contains("\"retry\":{\"name\":\"redis-discovery\"");
		assertThat(http.get("/actuator/redis-topology").body()).contains("\"role\":\"master\"");
		this.redis.opsForValue().set("touched", "yes");
		for (String path : new String[] { "/actuator/redis-topology", "/actuator/health", "/actuator/configprops",
				"/actuator/env" }) {
			assertThat(http.get(path).body()).as(path).doesNotContain(PASSWORD);
		}
		assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain("contains invalid characters");
	}

	@Test
	void healthShouldGoDownWhenTheServerDiesAndUpWhenItReturns() {
		HttpGetter http = new HttpGetter(this.port);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(http.get("/actuator/health/redisDiscovery").body())
				.contains("\"status\":\"UP\"")
				.contains("\"role\":\"master\""));
		server.kill();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			HttpResponse<String> health = http.get("/actuator/health/redisDiscovery");
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("\"reachable\":false");
		});
		server.restart();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(http.get("/actuator/health/redisDiscovery").statusCode()).isEqualTo(200));
		String topology = http.get("/actuator/redis-topology").body();
		assertThat(topology).contains("\"reason\":\"health check\"").doesNotContain(PASSWORD);
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
