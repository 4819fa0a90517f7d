package io.redisdiscovery.dns;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.SocketAddressResolver;

/**
 * Gives every (re)connect to the database hostname the address its {@link AddressBook} picks; other hosts are
 * resolved as Lettuce would.
 * <p>
 * The returned address carries the hostname, so TLS sends it as SNI and verifies the certificate against it.
 *
 * @since 0.1.0
 */
public final class DnsSocketAddressResolver extends SocketAddressResolver {

	private final AddressBook book;

	private final String hostname;

	/**
	 * Creates a resolver.
	 * @param book the addresses of the database hostname
	 */
	public DnsSocketAddressResolver(AddressBook book) {
		super(DnsResolvers.UNRESOLVED);
		this.book = book;
		this.hostname = normalize(book.hostname());
	}

	@Override
	public SocketAddress resolve(RedisURI redisURI) {
		if (redisURI.getSocket() == null && redisURI.getHost() != null
				&& normalize(redisURI.getHost()).equals(this.hostname)) {
			InetSocketAddress next = this.book.next();
			if (next != null) {
				return next;
			}
		}
		return super.resolve(redisURI);
	}

	private static String normalize(String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

}
