package io.redisdiscovery.lab.dns;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers decoded DNS queries, over UDP and TCP, from the registered record sets: A/AAAA answers, NODATA for other
 * types, NXDOMAIN for unknown names, or silence while the server is told not to answer (all queries, or those of some
 * record types).
 * <p>
 * Like a server without EDNS, it keeps UDP answers within 512 bytes (RFC 1035): an answer that does not fit is cut to
 * the records that do and carries the TC bit, and the client is expected to ask again over TCP, which is never cut.
 */
@ChannelHandler.Sharable
final class DnsQueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

	/** Largest UDP message without EDNS (RFC 1035, 4.2.1). */
	static final int MAX_UDP_MESSAGE_BYTES = 512;

	private static final int HEADER_BYTES = 12;

	/** Type, class, TTL and data length of a resource record, after its name. */
	private static final int RECORD_FIXED_BYTES = 10;

	private static final Logger logger = LoggerFactory.getLogger(DnsQueryHandler.class);

	private final Map<String, DnsRecordSet> records;

	private final Map<String, AtomicInteger> queryCounts = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> tcpQueryCounts = new ConcurrentHashMap<>();

	private final BooleanSupplier answering;

	private final Set<DnsRecordType> droppedTypes = ConcurrentHashMap.newKeySet();

	DnsQueryHandler(Map<String, DnsRecordSet> records, BooleanSupplier answering) {
		this.records = records;
		this.answering = answering;
	}

	int queryCount(String name) {
		AtomicInteger count = this.queryCounts.get(normalize(name));
		return (count != null) ? count.get() : 0;
	}

	int tcpQueryCount(String name) {
		AtomicInteger count = this.tcpQueryCounts.get(normalize(name));
		return (count != null) ? count.get() : 0;
	}

	void drop(DnsRecordType type) {
		this.droppedTypes.add(type);
	}

	void answerAllTypes() {
		this.droppedTypes.clear();
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
		DnsQuestion question = query.recordAt(DnsSection.QUESTION);
		if (question == null) {
			return;
		}
		String name = normalize(question.name());
		boolean udp = query instanceof DatagramDnsQuery;
		this.queryCounts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		if (!udp) {
			this.tcpQueryCounts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		}
		if (!this.answering.getAsBoolean() || this.droppedTypes.contains(question.type())) {
			logger.debug("Dropping DNS query for {} {}", question.type(), name);
			return;
		}
		DnsRecordSet recordSet = this.records.get(name);
		DnsResponseCode code = (recordSet != null) ? DnsResponseCode.NOERROR : DnsResponseCode.NXDOMAIN;
		DnsResponse response = (query instanceof DatagramDnsQuery datagram)
				? new DatagramDnsResponse(datagram.recipient(), datagram.sender(), query.id(), DnsOpCode.QUERY, code)
				: new DefaultDnsResponse(query.id(), DnsOpCode.QUERY, code);
		response.setAuthoritativeAnswer(true);
		response.setRecursionDesired(query.isRecursionDesired());
		response.setRecursionAvailable(true);
		response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
		if (recordSet != null) {
			if (DnsRecordType.A.equals(question.type())) {
				addAnswers(response, question, recordSet.nextIpv4Answer(), recordSet.ttlSeconds(), udp);
			}
			else if (DnsRecordType.AAAA.equals(question.type())) {
				addAnswers(response, question, recordSet.nextIpv6Answer(), recordSet.ttlSeconds(), udp);
			}
		}
		ctx.writeAndFlush(response);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// A malformed datagram must not stop the server from answering the next one.
		logger.debug("Ignoring a DNS message that failed to decode", cause);
	}

	private static void addAnswers(DnsResponse response, DnsQuestion question, List<byte[]> addresses,
			long ttlSeconds, boolean udp) {
		int nameBytes = encodedNameBytes(question.name());
		// The header and the question (name, type, class) come first.
		int size = HEADER_BYTES + nameBytes + 4;
		for (byte[] address : addresses) {
			size += nameBytes + RECORD_FIXED_BYTES + address.length;
			if (udp && size > MAX_UDP_MESSAGE_BYTES) {
				response.setTruncated(true);
				return;
			}
			response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), question.type(), ttlSeconds,
					Unpooled.wrappedBuffer(address)));
		}
	}

	/** Netty writes names uncompressed: a length byte per label, the labels, and the root's zero byte. */
	private static int encodedNameBytes(String name) {
		String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
		return trimmed.isEmpty() ? 1 : trimmed.getBytes(StandardCharsets.US_ASCII).length + 2;
	}

	static String normalize(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

}
