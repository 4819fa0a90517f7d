package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.redisdiscovery.retry.CauseChain;
import org.jspecify.annotations.Nullable;

/**
 * Finds the address a failed first connect dialled, from the failure's messages.
 * <p>
 * Messages, not types: neither Netty's {@code ConnectException} and {@code ConnectTimeoutException} nor Lettuce's
 * {@code RedisConnectionException} keep the address in a field, only in their message, and the failure arrives with
 * no channel attached. The messages cover every failed connect the retry classifies as not sent, including a TLS
 * handshake cut short after the TCP connect, which a failed connect promise at the channel would miss.
 */
final class FailedConnectAddress {

	private FailedConnectAddress() {
	}

	/**
	 * The candidate a message in the failure's cause chain names.
	 * @param failure the failure
	 * @param candidates the addresses it may name
	 * @param port the port of every address
	 * @return the first candidate named, or {@code null}
	 */
	static @Nullable InetAddress find(Throwable failure, List<InetAddress> candidates, int port) {
		for (Throwable current : CauseChain.of(failure)) {
			String message = current.getMessage();
			if (message == null) {
				continue;
			}
			for (InetAddress candidate : candidates) {
				// As Netty names the address in ConnectException and ConnectTimeoutException: "/127.0.0.11:6379".
				if (message.contains(new InetSocketAddress(AddressBook.withoutHostname(candidate), port).toString())) {
					return candidate;
				}
			}
		}
		return null;
	}

}
