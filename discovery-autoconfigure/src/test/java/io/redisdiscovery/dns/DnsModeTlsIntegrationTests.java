package io.redisdiscovery.dns;

import java.nio.file.Path;
import java.time.Duration;

import io.redisdiscovery.lab.LabCertificates;
import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologySource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * TLS in DNS mode: the connection and the role probe go to a resolved IP while the certificate is verified against
 * the database hostname.
 */
@ExtendWith(RedisLabExtension.class)
class DnsModeTlsIntegrationTests {

	private static final String HOSTNAME = "db.lab.test";

	@TempDir
	static Path certificates;

	private static LabCertificates authority;

	@BeforeAll
	static void createAuthority() {
		authority = LabCertificates.createAuthority(certificates, "dns");
	}

	@Test
	void connectionShouldVerifyTheCertificateAgainstTheHostnameNotTheIp(RedisLab lab) {
		tlsRunner(lab, authority.issue("db", "DNS:" + HOSTNAME)).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("tls", "verified");
			assertThat(redis.opsForValue().get("tls")).isEqualTo("verified");
		});
	}

	@Test
	void roleProbeShouldVerifyTheCertificateAgainstTheHostnameNotTheIp(RedisLab lab) {
		tlsRunner(lab, authority.issue("probed", "DNS:" + HOSTNAME)).run((context) -> {
			RedisTopology topology = context.getBean(TopologySource.class).refresh("test");
			assertThat(topology.endpoints()).singleElement().satisfies((endpoint) -> {
				assertThat(endpoint.details()).doesNotContainKey("error");
				assertThat(endpoint.reachable()).isTrue();
				assertThat(endpoint.role()).isEqualTo(NodeRole.MASTER);
			});
		});
	}

	@Test
	void connectionShouldFailWhenTheCertificateNamesAnotherHost(RedisLab lab) {
		tlsRunner(lab, authority.issue("other", "DNS:other.lab.test"))
			.withPropertyValues("redis.discovery.retry.max-attempts=1")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThatException().isThrownBy(() -> redis.opsForValue().get("tls"))
					.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("subject alternative"));
			});
	}

	private ApplicationContextRunner tlsRunner(RedisLab lab, LabTls tls) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withBindHost("127.0.0.11").withTls(tls));
		assertThat(server.host()).isEqualTo("127.0.0.11");
		LabDnsServer dns = lab.startDnsServer();
		dns.setRecords(HOSTNAME, Duration.ofSeconds(5), "127.0.0.11");
		return DiscoveryContextRunners.withStarter()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("redis.discovery.mode=dns", "redis.discovery.dns.hostname=" + HOSTNAME,
					"redis.discovery.dns.port=" + server.tlsPort(), "redis.discovery.dns.nameservers=" + dns.hostAndPort(),
					"redis.discovery.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + tls.caCertificate());
	}

	private static String causeMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.append(current).append('\n');
			for (Throwable suppressed : current.getSuppressed()) {
				messages.append(suppressed).append('\n');
			}
		}
		return messages.toString();
	}

}
