package io.redisdiscovery.autoconfigure;

import io.lettuce.core.SslOptions;

import org.springframework.boot.ssl.SslBundle;

/**
 * Turns a Spring Boot {@link SslBundle} into Lettuce {@link SslOptions}, as Spring Boot does for its own factory.
 */
final class LettuceSslOptions {

	private LettuceSslOptions() {
	}

	static SslOptions from(SslBundle bundle) {
		SslOptions.Builder builder = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		org.springframework.boot.ssl.SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.cipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		return builder.build();
	}

}
