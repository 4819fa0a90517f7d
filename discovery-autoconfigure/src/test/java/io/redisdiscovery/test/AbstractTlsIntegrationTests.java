package io.redisdiscovery.test;

import java.nio.file.Path;

import io.redisdiscovery.lab.LabCertificates;
import io.redisdiscovery.lab.LabTls;
import io.redisdiscovery.lab.RedisLabExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Base for TLS tests: one throw-away lab CA per test class, an application that trusts it through an SSL bundle,
 * and certificates from a CA the application does not trust.
 */
@ExtendWith(RedisLabExtension.class)
public abstract class AbstractTlsIntegrationTests {

	@TempDir
	protected static Path certificates;

	protected static LabCertificates authority;

	@BeforeAll
	protected static void createAuthority() {
		authority = LabCertificates.createAuthority(certificates.resolve("trusted"), "trusted");
	}

	/**
	 * An application context runner whose Redis connections use TLS and trust only the lab CA.
	 */
	protected static ApplicationContextRunner trustingLabCa() {
		return DiscoveryContextRunners.withStarter()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("redis.discovery.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + authority.caCertificate());
	}

	/**
	 * A loopback certificate signed by a CA of its own, which the application does not trust.
	 */
	protected static LabTls untrustedCertificate(String name) {
		return LabCertificates.createAuthority(certificates.resolve("untrusted-" + name), "untrusted-" + name)
			.issueForLoopback(name);
	}

	/**
	 * Every message in the cause chain, suppressed exceptions included, to look for the TLS reason of a failure.
	 */
	protected static String causeMessages(Throwable failure) {
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
