package io.redisdiscovery.autoconfigure;

import java.time.Duration;

import io.lettuce.core.SslOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * The Lettuce {@link SslOptions} of every connection: a Spring Boot {@link SslBundle} turned into them as Spring Boot
 * does for its own factory (the JVM's trust store without one), and the TLS handshake bounded by the connect timeout.
 */
final class LettuceSslOptions {

	private LettuceSslOptions() {
	}

	/**
	 * The options for TLS connections.
	 * @param bundle the SSL bundle, or {@code null} for the JVM's key and trust stores
	 * @param handshakeTimeout the bound on the TLS handshake; without it Lettuce waits 10 s (its default), longer than
	 * {@code redis.discovery.timeout.connect} promises, for a peer that accepts the connection and never answers
	 * @return the options
	 */
	static SslOptions from(@Nullable SslBundle bundle, Duration handshakeTimeout) {
		SslOptions.Builder builder = SslOptions.builder().handshakeTimeout(handshakeTimeout);
		if (bundle == null) {
			return builder.build();
		}
		builder.keyManager(bundle.getManagers().getKeyManagerFactory())
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
