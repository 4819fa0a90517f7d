package io.redisdiscovery.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.sample.lab.EmbeddedLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample in one profile with its embedded lab, then injects every fault the lab offers while the workload
 * runs, and checks that writes through the API reach the node the deployment names as primary and that the workload's
 * errors settle to zero; subclasses name the profile and close their context (and lab) after their tests, except Sentinel's, which
 * the browser test shares.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class EmbeddedLabProfileTests {

	private static final Duration FAULT_RECOVERY = Duration.ofSeconds(90);

	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

	private static final int SETTLED_SECONDS = 3;

	@LocalServerPort
	private int port;

	@Autowired
	private EmbeddedLab lab;

	private SampleClient client;

	/**
	 * The {@code redis.discovery.mode} the profile selects.
	 */
	abstract String mode();

	@BeforeEach
	void createClient() {
		this.client = new SampleClient(this.port);
	}

	@AfterEach
	void stopWorkload() {
		this.client.post("/api/workload/stop");
	}

	@Test
	void topologyEndpointShowsTheLabDeploymentInTheProfilesMode() {
		assertThat(this.client.get("/api/lab")).containsEntry("running", true).containsEntry("topology", mode());
		Map<String, Object> topology = this.client.post("/actuator/redis-topology");
		assertThat(topology).containsEntry("mode", mode()).containsEntry("writable", true);
		assertThat(this.client.increment("profile-test")).isPositive();
	}

	@Test
	void errorsSettleToZeroAfterEveryFaultTheLabOffers() {
		List<Map<String, Object>> faults = this.client.faults();
		assertThat(faults).isNotEmpty();
		this.client.post("/api/workload/start");
		for (Map<String, Object> fault : faults) {
			String name = (String) fault.get("name");
			assertThat(this.client.postStatus("/api/lab/faults/" + name)).isEqualTo(202);
			await("lab recovery from " + name).atMost(FAULT_RECOVERY).untilAsserted(() -> {
				Map<String, Object> last = this.client.lastFault();
				assertThat(last).isNotNull().containsEntry("name", name);
				assertThat(this.client.get("/api/lab").get("faultInProgress")).isNull();
			});
			assertThat(this.client.lastFault()).containsEntry("error", null);
			awaitWritesReachThePrimary(name);
			awaitSettled(name);
		}
	}

	private void awaitWritesReachThePrimary(String fault) {
		String counter = "after-" + fault;
		await("a write through the API to reach the primary the deployment names after " + fault).atMost(SETTLE_TIMEOUT)
			.untilAsserted(() -> {
				long value = this.client.increment(counter);
				assertThat(this.lab.readFromPrimary("counter:" + counter)).isEqualTo(String.valueOf(value));
			});
	}

	private void awaitSettled(String fault) {
		await("no workload errors for " + SETTLED_SECONDS + " s after " + fault).atMost(SETTLE_TIMEOUT)
			.untilAsserted(() -> {
				List<Map<String, Object>> seconds = this.client.workloadSeconds();
				assertThat(seconds).hasSizeGreaterThanOrEqualTo(SETTLED_SECONDS);
				List<Map<String, Object>> recent = seconds.subList(seconds.size() - SETTLED_SECONDS, seconds.size());
				assertThat(recent).allSatisfy((second) -> {
					assertThat(((Number) second.get("errors")).longValue()).isZero();
					assertThat(((Number) second.get("operations")).longValue()).isPositive();
				});
			});
	}

}
