package io.redisdiscovery.actuate;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = ClusterActuatorIntegrationTests.TestApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,redistopology",
				"management.endpoint.health.show-details=always", "redis.discovery.mode=cluster" })
@ExtendWith(RedisLabExtension.class)
@DirtiesContext
class ClusterActuatorIntegrationTests {

	private static RedisClusterLab cluster;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startCluster(RedisLab lab) {
		cluster = lab.startCluster(3, 1);
	}

	@DynamicPropertySource
	static void clusterProperties(DynamicPropertyRegistry registry) {
		registry.add("redis.discovery.cluster.nodes", () -> String.join(",", cluster.seedAddresses()));
	}

	@Test
	void topologyShouldShowSlotsRolesAndClusterState() {
		HttpGetter http = new HttpGetter(this.port);
		String topology = http.post("/actuator/redis-topology").body();
		assertThat(topology).contains("\"mode\":\"cluster\"")
			.contains("\"cluster_state\":\"ok\"")
			.contains("\"cluster_slots_assigned\":16384")
			.contains("\"masters\":3")
			.contains("\"replicas\":3")
			.contains("\"role\":\"replica\"");
		for (var master : cluster.masters()) {
			assertThat(topology).contains("\"address\":\"" + master.hostAndPort() + "\",\"role\":\"master\"");
		}
		assertThat(http.get("/actuator/health/redisDiscovery").body()).contains("\"status\":\"UP\"")
			.contains("\"cluster_state\":\"ok\"");
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
