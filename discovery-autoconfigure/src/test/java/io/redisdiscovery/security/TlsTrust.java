package io.redisdiscovery.security;

import java.nio.file.Path;

import io.redisdiscovery.test.DiscoveryContextRunners;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application context runner whose Redis connections use TLS and trust one lab CA through an SSL bundle.
 */
final class TlsTrust {

	private TlsTrust() {
	}

	static ApplicationContextRunner trusting(Path caCertificate) {
		return DiscoveryContextRunners.withStarter()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("redis.discovery.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + caCertificate);
	}

	/**
	 * Every message in the cause chain, suppressed exceptions included, to look for the TLS reason of a failure.
	 */
	static String causeMessages(Throwable failure) {
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
