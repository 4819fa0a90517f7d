package io.redisdiscovery.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.test.DiscoveryContextRunners;
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
 * TLS in DNS mode: the connection goes to a resolved IP while the certificate is verified against the database
 * hostname.
 */
@ExtendWith(RedisLabExtension.class)
class DnsModeTlsIntegrationTests {

	private static final String HOSTNAME = "db.lab.test";

	@TempDir
	static Path certificates;

	@Test
	void connectionShouldVerifyTheCertificateAgainstTheHostnameNotTheIp(RedisLab lab) throws Exception {
		Path certificate = selfSigned(HOSTNAME);
		tlsRunner(lab, certificate).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("tls", "verified");
			assertThat(redis.opsForValue().get("tls")).isEqualTo("verified");
		});
	}

	@Test
	void connectionShouldFailWhenTheCertificateNamesAnotherHost(RedisLab lab) throws Exception {
		Path certificate = selfSigned("other.lab.test");
		tlsRunner(lab, certificate).withPropertyValues("redis.discovery.retry.max-attempts=1").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatException().isThrownBy(() -> redis.opsForValue().get("tls"))
				.satisfies((ex) -> assertThat(causeMessages(ex)).containsIgnoringCase("subject alternative"));
		});
	}

	private ApplicationContextRunner tlsRunner(RedisLab lab, Path certificate) {
		int tlsPort = FreePorts.pick("127.0.0.11");
		Path key = certificate.resolveSibling(certificate.getFileName() + ".key");
		RedisServer server = lab.startServer(RedisServerOptions.defaults()
			.withBindHost("127.0.0.11")
			.withConfig("tls-port " + tlsPort, "tls-cert-file " + certificate, "tls-key-file " + key,
					"tls-auth-clients no"));
		assertThat(server.host()).isEqualTo("127.0.0.11");
		LabDnsServer dns = lab.startDnsServer();
		dns.setRecords(HOSTNAME, Duration.ofSeconds(5), "127.0.0.11");
		return DiscoveryContextRunners.withStarter()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("redis.discovery.mode=dns", "redis.discovery.dns.hostname=" + HOSTNAME,
					"redis.discovery.dns.port=" + tlsPort, "redis.discovery.dns.nameservers=" + dns.hostAndPort(),
					"redis.discovery.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificate);
	}

	private static Path selfSigned(String dnsName) throws IOException, InterruptedException {
		Path certificate = certificates.resolve(dnsName + ".pem");
		Path key = certificates.resolve(dnsName + ".pem.key");
		Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
				"-subj", "/CN=" + dnsName, "-addext", "subjectAltName=DNS:" + dnsName, "-keyout", key.toString(),
				"-out", certificate.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(openssl.getInputStream().readAllBytes());
		assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(openssl.exitValue()).as(output).isZero();
		assertThat(Files.exists(certificate)).isTrue();
		return certificate;
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
