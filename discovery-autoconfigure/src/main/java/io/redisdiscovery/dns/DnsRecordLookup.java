package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.DnsServerAddresses;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.redisdiscovery.dns.DnsAnswer.Family;
import io.redisdiscovery.retry.CauseChain;

/**
 * Asks DNS servers for every A and AAAA record of a name with Netty's resolver, without any cache, so each lookup
 * sees the records and TTLs the server serves now (the JVM's {@code InetAddress} cache is not involved). An answer
 * truncated over UDP (TC bit: more records than fit in the datagram) is asked again over TCP, so a large record set is
 * read in full.
 *
 * @since 0.1.0
 */
public final class DnsRecordLookup implements AutoCloseable {

	private static final long SHUTDOWN_TIMEOUT_SECONDS = 2;

	private final EventLoopGroup group;

	private final DnsNameResolver resolver;

	private final Duration timeout;

	/**
	 * Creates a lookup with its own I/O thread.
	 * @param nameservers the servers to ask in order, or empty for the system resolver configuration
	 * @param queryTimeout bound on one query to one server
	 */
	public DnsRecordLookup(List<InetSocketAddress> nameservers, Duration queryTimeout) {
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("redis-discovery-dns-io", true),
				NioIoHandler.newFactory());
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder(this.group.next())
			.datagramChannelType(NioDatagramChannel.class)
			// Only enables the retry over TCP of truncated answers: a query that timed out is not retried over TCP.
			.socketChannelType(NioSocketChannel.class)
			.nameServerProvider(nameServerProvider(nameservers))
			.resolveCache(NoopDnsCache.INSTANCE)
			.hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT)
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
			.queryTimeoutMillis(queryTimeout.toMillis());
		if (!nameservers.isEmpty()) {
			// Explicit servers serve the exact name; search domains of the host would only add failed queries.
			builder.searchDomains(List.of()).ndots(1);
		}
		this.resolver = builder.build();
		// One query per server, plus the wait for the slowest answer.
		this.timeout = queryTimeout.multipliedBy(Math.max(1, nameservers.size()) + 1L);
	}

	private static DnsServerAddressStreamProvider nameServerProvider(List<InetSocketAddress> nameservers) {
		if (nameservers.isEmpty()) {
			return DnsServerAddressStreamProviders.platformDefault();
		}
		return new SequentialDnsServerAddressStreamProvider(DnsServerAddresses.sequential(nameservers).stream()
			.next());
	}

	/**
	 * Looks up every A and AAAA record of {@code hostname}.
	 * @param hostname the name
	 * @return the addresses, in the server's order (IPv4 first), their smallest TTL, and the families whose query got
	 * no answer when the other's did
	 * @throws DnsLookupException when no server answered or the answer holds no address
	 */
	public DnsAnswer lookup(String hostname) {
		Future<List<DnsRecord>> ipv4 = this.resolver.resolveAll(new DefaultDnsQuestion(hostname, DnsRecordType.A));
		Future<List<DnsRecord>> ipv6 = this.resolver.resolveAll(new DefaultDnsQuestion(hostname, DnsRecordType.AAAA));
		List<InetAddress> addresses = new ArrayList<>();
		long ttlSeconds = Long.MAX_VALUE;
		Throwable failure = null;
		Set<Family> unanswered = EnumSet.noneOf(Family.class);
		for (Family family : Family.values()) {
			try {
				ttlSeconds = Math.min(ttlSeconds, collect(hostname, await((family == Family.IPV4) ? ipv4 : ipv6),
						addresses));
			}
			catch (ExecutionException | TimeoutException ex) {
				failure = (failure == null || isTimeout(ex)) ? ex : failure;
				if (!isAnswerWithoutRecords(ex)) {
					unanswered.add(family);
				}
			}
		}
		if (addresses.isEmpty()) {
			boolean unreachable = failure != null && isTimeout(failure);
			String reason = unreachable ? "no DNS server answered" : "no A or AAAA record";
			throw new DnsLookupException("Cannot resolve '" + hostname + "': " + reason, unreachable, failure);
		}
		return new DnsAnswer(addresses, Duration.ofSeconds(ttlSeconds), unanswered);
	}

	private List<DnsRecord> await(Future<List<DnsRecord>> answer) throws ExecutionException, TimeoutException {
		try {
			return answer.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			answer.cancel(false);
			throw new ExecutionException(ex);
		}
		catch (TimeoutException ex) {
			answer.cancel(false);
			throw ex;
		}
	}

	private static long collect(String hostname, List<DnsRecord> records, List<InetAddress> addresses) {
		long ttlSeconds = Long.MAX_VALUE;
		try {
			for (DnsRecord record : records) {
				if (record instanceof DnsRawRecord raw && (DnsRecordType.A.equals(record.type())
						|| DnsRecordType.AAAA.equals(record.type()))) {
					try {
						// Keeping the hostname lets TLS verify the certificate against it, not against the IP.
						InetAddress address = InetAddress.getByAddress(hostname, ByteBufUtil.getBytes(raw.content()));
						if (!addresses.contains(address)) {
							addresses.add(address);
						}
						ttlSeconds = Math.min(ttlSeconds, record.timeToLive());
					}
					catch (UnknownHostException ex) {
						// A record whose data is not 4 or 16 bytes is malformed: ignore it.
					}
				}
			}
		}
		finally {
			records.forEach(ReferenceCountUtil::release);
		}
		return ttlSeconds;
	}

	/**
	 * Whether the server answered that the name has no record of the type (NODATA) or does not exist (NXDOMAIN), as
	 * opposed to not answering (timeout, SERVFAIL, I/O error). Netty tells them apart by message only.
	 */
	private static boolean isAnswerWithoutRecords(Throwable failure) {
		return CauseChain.anyMatch(failure, (current) -> {
			String message = current.getMessage();
			return message != null && (message.contains("NXDOMAIN") || message.contains("No matching record type"));
		});
	}

	private static boolean isTimeout(Throwable failure) {
		return CauseChain.anyMatch(failure,
				(current) -> current instanceof TimeoutException || current instanceof DnsNameResolverTimeoutException
						|| (current.getMessage() != null && current.getMessage().contains("query timed out")));
	}

	@Override
	public void close() {
		this.resolver.close();
		this.group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
			.awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
	}

}
