package io.redisdiscovery.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class RedisFailureClassifierTests {

	@ParameterizedTest
	@ValueSource(strings = { "READONLY You can't write against a read only replica.",
			"LOADING Redis is loading the dataset in memory", "MASTERDOWN Link with MASTER is down",
			"TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down" })
	void classifyWhenServerDidNotExecuteShouldBeRejectedByServer(String reply) {
		assertThat(RedisFailureClassifier.classify(translated(new RedisCommandExecutionException(reply))))
			.isEqualTo(FailureKind.REJECTED_BY_SERVER);
	}

	@ParameterizedTest
	@ValueSource(strings = { "WRONGTYPE Operation against a key holding the wrong kind of value",
			"ERR syntax error", "NOSCRIPT No matching script", "WRONGPASS invalid username-password pair",
			"NOAUTH Authentication required.", "NOPERM this user has no permissions" })
	void classifyWhenServerRefusedForGoodShouldBeFatal(String reply) {
		assertThat(RedisFailureClassifier.classify(translated(new RedisCommandExecutionException(reply))))
			.isEqualTo(FailureKind.FATAL);
	}

	@Test
	void classifyWhenConnectFailedOnAuthenticationShouldBeFatal() {
		RedisConnectionException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
				new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
		assertThat(RedisFailureClassifier.classify(new RedisConnectionFailureException("Unable to connect", failure)))
			.isEqualTo(FailureKind.FATAL);
	}

	@Test
	void classifyWhenConnectionRefusedShouldBeNotSent() {
		RedisConnectionException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
				new ConnectException("Connection refused"));
		assertThat(RedisFailureClassifier.classify(new RedisConnectionFailureException("Unable to connect", failure)))
			.isEqualTo(FailureKind.NOT_SENT);
	}

	@Test
	void classifyWhenServerCertificateIsNotTrustedShouldBeFatal() {
		// As the JDK reports an unknown issuer: the handshake failure wraps the certificate path error.
		SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
		handshake.initCause(new CertificateException("unable to find valid certification path to requested target",
				new CertPathBuilderException("unable to find valid certification path to requested target")));
		assertThat(RedisFailureClassifier.classify(connectFailure(handshake))).isEqualTo(FailureKind.FATAL);
		assertThat(RedisFailureClassifier.classify(connectFailure(new CertPathValidatorException("expired"))))
			.isEqualTo(FailureKind.FATAL);
	}

	@Test
	void classifyWhenHandshakeIsRejectedOrPeerUnverifiedShouldBeFatal() {
		assertThat(RedisFailureClassifier
			.classify(connectFailure(new SSLHandshakeException("Received fatal alert: certificate_unknown"))))
			.isEqualTo(FailureKind.FATAL);
		assertThat(RedisFailureClassifier
			.classify(connectFailure(new SSLPeerUnverifiedException("No subject alternative names matching"))))
			.isEqualTo(FailureKind.FATAL);
	}

	@Test
	void classifyWhenHandshakeIsCutShortShouldBeNotSent() {
		assertThat(RedisFailureClassifier
			.classify(connectFailure(new SslHandshakeTimeoutException("handshake timed out after 10000ms"))))
			.isEqualTo(FailureKind.NOT_SENT);
		assertThat(RedisFailureClassifier.classify(
				connectFailure(new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress"))))
			.isEqualTo(FailureKind.NOT_SENT);
	}

	@Test
	void classifyWhenRejectedWhileDisconnectedShouldBeNotSent() {
		assertThat(RedisFailureClassifier
			.classify(translated(new RedisException("Currently not connected. Commands are rejected."))))
			.isEqualTo(FailureKind.NOT_SENT);
	}

	@Test
	void classifyWhenDisconnectedInFlightShouldBeMaybeSent() {
		assertThat(RedisFailureClassifier.classify(translated(new RedisException("Connection disconnected"))))
			.isEqualTo(FailureKind.MAYBE_SENT);
	}

	@Test
	void classifyWhenTimedOutShouldBeMaybeSent() {
		assertThat(RedisFailureClassifier.classify(new QueryTimeoutException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 2 second(s)"))))
			.isEqualTo(FailureKind.MAYBE_SENT);
	}

	@Test
	void classifyWhenConnectionResetShouldBeMaybeSent() {
		assertThat(RedisFailureClassifier.classify(new RedisSystemException("Redis exception",
				new RedisException(new IOException("Connection reset by peer")))))
			.isEqualTo(FailureKind.MAYBE_SENT);
	}

	@Test
	void classifyWhenUnknownShouldBeFatal() {
		assertThat(RedisFailureClassifier.classify(new IllegalStateException("boom"))).isEqualTo(FailureKind.FATAL);
	}

	@Test
	void allowsRetryShouldProtectNonIdempotentCommandsOnlyWhenTheyMayHaveBeenSent() {
		assertThat(FailureKind.NOT_SENT.allowsRetry(false)).isTrue();
		assertThat(FailureKind.REJECTED_BY_SERVER.allowsRetry(false)).isTrue();
		assertThat(FailureKind.MAYBE_SENT.allowsRetry(false)).isFalse();
		assertThat(FailureKind.MAYBE_SENT.allowsRetry(true)).isTrue();
		assertThat(FailureKind.FATAL.allowsRetry(true)).isFalse();
	}

	private static RuntimeException connectFailure(Throwable cause) {
		return new RedisConnectionFailureException("Unable to connect to Redis",
				new RedisConnectionException("Unable to connect to localhost:6380", cause));
	}

	private static RuntimeException translated(RedisException failure) {
		return new RedisSystemException("Error in execution", failure);
	}

}
