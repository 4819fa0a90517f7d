package io.redisdiscovery.sample;

import java.io.IOException;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample pointed at a Redis it did not start ({@code sample.lab.topology=none}): no lab, no fault buttons, the API
 * and the dashboard work.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.lab.topology=none", "sample.rate-limit.window=1h" })
@ActiveProfiles("standalone")
@DirtiesContext
class ExternalRedisTests {

	private static final RedisLab lab = new RedisLab();

	private static final RedisServer external = lab.startServer();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void pointAtExternalRedis(DynamicPropertyRegistry registry) {
		registry.add("redis.discovery.standalone.host", external::host);
		registry.add("redis.discovery.standalone.port", external::port);
	}

	@AfterAll
	static void closeLab() {
		lab.close();
	}

	@Test
	void apiUsesTheConfiguredRedisAndOffersNoFaults() {
		SampleClient client = new SampleClient(this.port);
		assertThat(client.get("/api/lab")).containsEntry("running", false);
		assertThat(client.faults()).isEmpty();
		assertThat(client.postStatus("/api/lab/faults/kill-master")).isEqualTo(404);
		assertThat(client.increment("external")).isEqualTo(1);
		assertThat(external.command("GET", "counter:external")).isEqualTo("1");
		assertThat(client.topology()).containsEntry("mode", "standalone");
	}

	@Test
	void keyValueStoreAndRateLimiterUseRedis() {
		SampleClient client = new SampleClient(this.port);
		assertThat(client.put("/api/values/greeting?ttl=30s", "hello")).isEqualTo(204);
		assertThat(client.getText("/api/values/greeting")).isEqualTo("hello");
		assertThat((Long) external.command("TTL", "sample:value:greeting")).isBetween(1L, 30L);
		assertThat(client.getStatus("/api/values/absent")).isEqualTo(404);
		for (int call = 1; call <= 5; call++) {
			assertThat(client.postStatus("/api/rate-limit/alice")).isEqualTo(200);
		}
		assertThat(client.postStatus("/api/rate-limit/alice")).isEqualTo(429);
		assertThat(client.postStatus("/api/rate-limit/bob")).isEqualTo(200);
	}

	@Test
	void dashboardShowsTheTopologyAndNoFaultButtons() throws IOException {
		try (HeadlessChromium chromium = new HeadlessChromium()) {
			chromium.driver().get("http://127.0.0.1:" + this.port + "/");
			chromium.waitUpTo(30).until((page) -> chromium.text("master-address").equals(external.hostAndPort()));
			assertThat(chromium.text("mode")).isEqualTo("standalone");
			assertThat(chromium.text("lab-badge")).isEqualTo("external Redis");
			assertThat(chromium.driver().findElement(By.id("lab-external")).isDisplayed()).isTrue();
			assertThat(chromium.driver().findElements(By.cssSelector("#fault-buttons button"))).isEmpty();
		}
	}

}
