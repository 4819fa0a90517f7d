package io.redisdiscovery.actuate;

import java.time.Duration;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.test.HttpGetter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = SentinelActuatorIntegrationTests.TestApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,redistopology",
				"management.endpoint.health.show-details=always", "redis.discovery.mode=sentinel" })
@ExtendWith(RedisLabExtension.class)
@DirtiesContext
class SentinelActuatorIntegrationTests {

	private static SentinelGroup group;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startSentinels(RedisLab lab) {
		group = lab.startSentinelGroup("orders", 1);
	}

	@DynamicPropertySource
	static void sentinelProperties(DynamicPropertyRegistry registry) {
		registry.add("redis.discovery.sentinel.master", () -> group.masterName());
		registry.add("redis.discovery.sentinel.nodes", () -> String.join(",", group.sentinelAddresses()));
	}

	@Test
	void topologyAndHealthShouldFollowAFailover() {
		HttpGetter http = new HttpGetter(this.port);
		RedisServer master = group.master();
		String before = http.post("/actuator/redis-topology").body();
		assertThat(before).contains("\"mode\":\"sentinel\"")
			.contains("\"master\":\"orders\"")
			.contains("\"address\":\"" + master.hostAndPort() + "\",\"role\":\"master\"");
		assertThat(http.get("/actuator/health/redisDiscovery").body()).contains("\"status\":\"UP\"");
		group.failover();
		RedisServer promoted = group.awaitNewMaster(master, Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String after = http.get("/actuator/redis-topology").body();
			assertThat(after).contains("\"address\":\"" + promoted.hostAndPort() + "\",\"role\":\"master\"")
				.contains("\"lastSwitchMaster\"")
				.contains("\"events\":[{");
		});
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(http.get("/actuator/health/redisDiscovery").body())
				.contains("\"status\":\"UP\"")
				.contains(promoted.hostAndPort()));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
