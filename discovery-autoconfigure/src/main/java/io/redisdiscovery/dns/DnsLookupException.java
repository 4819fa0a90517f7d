package io.redisdiscovery.dns;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a hostname lookup gives no address.
 *
 * @since 0.1.0
 */
public class DnsLookupException extends RuntimeException {

	private final boolean serverUnreachable;

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param serverUnreachable whether no DNS server answered (as opposed to an answer without address)
	 * @param cause the resolver's failure, or {@code null}
	 */
	public DnsLookupException(String message, boolean serverUnreachable, @Nullable Throwable cause) {
		super(message, cause);
		this.serverUnreachable = serverUnreachable;
	}

	/**
	 * Whether no DNS server answered in time.
	 * @return {@code true} for a timeout or network error, {@code false} for NXDOMAIN or no A/AAAA record
	 */
	public boolean isServerUnreachable() {
		return this.serverUnreachable;
	}

}
