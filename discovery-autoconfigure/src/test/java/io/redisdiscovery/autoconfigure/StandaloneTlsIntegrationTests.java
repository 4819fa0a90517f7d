package io.redisdiscovery.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.AbstractTlsIntegrationTests;
import io.redisdiscovery.test.Workload;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * TLS in standalone and load-balancer mode against redis-server's own TLS port, the certificate verified against
 * the configured address.
 */
class StandaloneTlsIntegrationTests extends AbstractTlsIntegrationTests {

	private static final Duration FAILURE_BOUND = Duration.ofSeconds(20);

	@Test
	void standaloneShouldSeeNoErrorOverTlsWhenTheServerRestarts(RedisLab lab) {
		RedisServer server = lab.startServer(
				RedisServerOptions.defaults().withPersistence().withTls(authority.issueForLoopback("standalone")));
		standalone(trustingLabCa(), server).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try (Workload workload = new Workload(redis, "tls-restart").start(4)) {
				workload.awaitProgress(200, Duration.ofSeconds(30));
				server.restart();
				workload.awaitProgress(200, Duration.ofSeconds(30));
				workload.close();
				assertThat(workload.errors()).isEmpty();
				workload.assertNoAcknowledgedWriteLost(redis);
				workload.assertNoIncrementLostOrDuplicated(redis);
			}
		});
	}

	@Test
	void standaloneShouldFailClearlyWhenTheServerCertificateIsNotTrusted(RedisLab lab) {
		LabTls untrusted = untrustedCertificate("impostor");
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withTls(untrusted));
		standalone(trustingLabCa(), server).run((context) -> {
			AtomicInteger retries = new AtomicInteger();
			context.getBean("redisDiscoveryRetry", Retry.class)
				.getEventPublisher()
				.onRetry((event) -> retries.incrementAndGet());
			assertCertificatePathRejected(context.getBean(StringRedisTemplate.class));
			assertThat(retries).as("retries of a rejected certificate").hasValue(0);
		});
	}

	@Test
	void standaloneShouldRejectACertificateForAnotherHost(RedisLab lab) {
		RedisServer server = lab.startServer(
				RedisServerOptions.defaults().withTls(authority.issue("elsewhere", "DNS:elsewhere.lab.test")));
		standalone(trustingLabCa(), server).run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertTimeoutPreemptively(FAILURE_BOUND, () -> assertThatException()
					.isThrownBy(() -> redis.opsForValue().get("tls"))
					.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("subject alternative")));
			});
	}

	@Test
	void loadBalancerShouldPassTlsThroughAndSeeNoErrorWhenItsConnectionsDie(RedisLab lab) {
		RedisServer database = lab.startServer(RedisServerOptions.defaults().withTls(authority.issueForLoopback("lb")));
		TcpProxy balancer = lab.startProxy(database.host(), new InetSocketAddress(database.host(),
				database.tlsPort()));
		trustingLabCa()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port())
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				try (Workload workload = new Workload(redis, "tls-lb").start(4)) {
					workload.awaitProgress(200, Duration.ofSeconds(30));
					long accepted = balancer.acceptedConnections();
					balancer.killConnections();
					await("a new TLS connection through the balancer").atMost(Duration.ofSeconds(10))
						.until(() -> balancer.acceptedConnections() > accepted);
					workload.awaitProgress(200, Duration.ofSeconds(30));
					workload.close();
					assertThat(workload.errors()).isEmpty();
					workload.assertNoAcknowledgedWriteLost(redis);
					workload.assertNoIncrementLostOrDuplicated(redis);
				}
			});
	}

	@Test
	void loadBalancerShouldFailClearlyWhenTheCertificateBehindItIsNotTrusted(RedisLab lab) {
		LabTls untrusted = untrustedCertificate("impostor");
		RedisServer database = lab.startServer(RedisServerOptions.defaults().withTls(untrusted));
		TcpProxy balancer = lab.startProxy(database.host(), new InetSocketAddress(database.host(),
				database.tlsPort()));
		trustingLabCa()
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=127.0.0.1",
					"redis.discovery.load-balancer.port=" + balancer.port())
			.run((context) -> assertCertificatePathRejected(context.getBean(StringRedisTemplate.class)));
	}

	@Test
	void handshakeWithAPeerThatNeverAnswersShouldFailWithinTheConnectTimeout(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withTls(authority.issueForLoopback("mute")));
		TcpProxy mute = lab.startProxy(server.host(), new InetSocketAddress(server.host(), server.tlsPort()));
		// Accepts the TCP connection, then forwards and answers nothing: the ClientHello gets no reply.
		mute.blackhole(true);
		trustingLabCa()
			.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
					"redis.discovery.standalone.port=" + mute.port(), "redis.discovery.timeout.connect=300ms",
					"redis.discovery.timeout.command=20s", "redis.discovery.retry.max-attempts=1")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				long started = System.nanoTime();
				assertThatException().isThrownBy(() -> redis.opsForValue().get("tls"))
					.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("handshake timed out"));
				// One attempt, bounded by the 300 ms connect timeout: far below both the command timeout (20 s) and
				// Lettuce's own handshake default (10 s). A bound on the behaviour, with room for a slow machine.
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
				assertThat(mute.acceptedConnections()).isPositive();
			});
	}

	private static void assertCertificatePathRejected(StringRedisTemplate redis) {
		assertTimeoutPreemptively(FAILURE_BOUND, () -> assertThatException()
			.isThrownBy(() -> redis.opsForValue().get("tls"))
			.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("certification path")));
	}

	private static ApplicationContextRunner standalone(ApplicationContextRunner runner, RedisServer server) {
		return runner.withPropertyValues("redis.discovery.mode=standalone", "redis.discovery.standalone.host=127.0.0.1",
				"redis.discovery.standalone.port=" + server.tlsPort());
	}

}
