package io.redisdiscovery.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionException;
import io.lettuce.core.protocol.RedisProtocolException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Sorts a failure of a Redis operation into a {@link FailureKind} by walking its cause chain.
 *
 * @since 0.1.0
 */
public final class RedisFailureClassifier {

	private static final Set<String> NOT_EXECUTED_REPLIES = Set.of("READONLY", "LOADING", "MASTERDOWN", "TRYAGAIN",
			"CLUSTERDOWN", "MOVED", "ASK");

	private RedisFailureClassifier() {
	}

	/**
	 * Classifies a failure.
	 * @param failure what the operation threw
	 * @return the kind of failure
	 */
	public static FailureKind classify(Throwable failure) {
		// An error reply anywhere in the chain decides: a connection failure caused by WRONGPASS is fatal.
		FailureKind fromReply = classifyErrorReply(failure);
		if (fromReply != null) {
			return fromReply;
		}
		if (isCertificateOrHandshakeFailure(failure)) {
			// Nothing reached the server, but the next handshake meets the same certificate: retrying only delays
			// the error and multiplies the handshakes.
			return FailureKind.FATAL;
		}
		for (Throwable current : CauseChain.of(failure)) {
			FailureKind kind = classifyTransportFailure(current);
			if (kind != null) {
				return kind;
			}
		}
		return FailureKind.FATAL;
	}

	private static @Nullable FailureKind classifyErrorReply(Throwable failure) {
		for (Throwable current : CauseChain.of(failure)) {
			if (current instanceof RedisCommandExecutionException && current.getMessage() != null) {
				return NOT_EXECUTED_REPLIES.contains(errorCode(current.getMessage())) ? FailureKind.REJECTED_BY_SERVER
						: FailureKind.FATAL;
			}
		}
		return null;
	}

	private static boolean isCertificateOrHandshakeFailure(Throwable failure) {
		for (Throwable current : CauseChain.of(failure)) {
			if (current instanceof CertificateException || current instanceof CertPathValidatorException
					|| current instanceof CertPathBuilderException || current instanceof SSLPeerUnverifiedException) {
				return true;
			}
			if (current instanceof SSLHandshakeException && !isInterruptedHandshake(current)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A handshake cut short by a slow or restarting server (Netty's handshake timeout, a connection closed while
	 * handshaking) says nothing about certificates and may succeed next time.
	 */
	private static boolean isInterruptedHandshake(Throwable handshakeFailure) {
		if (handshakeFailure instanceof SslHandshakeTimeoutException) {
			return true;
		}
		String message = handshakeFailure.getMessage();
		return message != null && (message.startsWith("Connection closed while SSL/TLS handshake")
				|| message.equals("Remote host terminated the handshake"));
	}

	private static @Nullable FailureKind classifyTransportFailure(Throwable failure) {
		if (failure instanceof RedisCommandTimeoutException || failure instanceof QueryTimeoutException) {
			return FailureKind.MAYBE_SENT;
		}
		// A PartitionException means the cluster client found no node for the command (slot without a master,
		// redirection to a node outside its view), so nothing was written.
		if (failure instanceof RedisConnectionException || failure instanceof ConnectException
				|| failure instanceof ClosedChannelException || failure instanceof PartitionException) {
			return FailureKind.NOT_SENT;
		}
		if (failure instanceof RedisProtocolException) {
			// Garbage in the reply stream: the command was written, and its reply cannot be trusted.
			return FailureKind.MAYBE_SENT;
		}
		if (failure instanceof RedisException && failure.getMessage() != null) {
			return classifyLettuceMessage(failure.getMessage());
		}
		if (failure instanceof IOException) {
			// A reset or broken pipe on an open connection: the command may have been written before.
			return FailureKind.MAYBE_SENT;
		}
		if (failure instanceof RedisConnectionFailureException && failure.getCause() == null) {
			return FailureKind.NOT_SENT;
		}
		return null;
	}

	private static @Nullable FailureKind classifyLettuceMessage(String message) {
		// Messages of io.lettuce.core.protocol.DefaultEndpoint: rejected before writing vs. cancelled in flight.
		if (message.startsWith("Currently not connected") || message.equals("Connection is closed")
				|| message.startsWith("Request queue size exceeded")) {
			return FailureKind.NOT_SENT;
		}
		if (message.equals("Connection disconnected") || message.equals("Connection closed")) {
			return FailureKind.MAYBE_SENT;
		}
		return null;
	}

	private static String errorCode(String message) {
		int space = message.indexOf(' ');
		return ((space < 0) ? message : message.substring(0, space)).toUpperCase(Locale.ROOT);
	}

}
