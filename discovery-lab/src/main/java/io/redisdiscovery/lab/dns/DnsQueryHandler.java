package io.redisdiscovery.lab.dns;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers decoded DNS queries from the registered record sets: A/AAAA answers, NODATA for other types, NXDOMAIN for
 * unknown names, or silence while the server is told not to answer.
 */
final class DnsQueryHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {

	private static final Logger logger = LoggerFactory.getLogger(DnsQueryHandler.class);

	private final Map<String, DnsRecordSet> records;

	private final Map<String, AtomicInteger> queryCounts = new ConcurrentHashMap<>();

	private final BooleanSupplier answering;

	DnsQueryHandler(Map<String, DnsRecordSet> records, BooleanSupplier answering) {
		this.records = records;
		this.answering = answering;
	}

	int queryCount(String name) {
		AtomicInteger count = this.queryCounts.get(normalize(name));
		return (count != null) ? count.get() : 0;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
		DnsQuestion question = query.recordAt(DnsSection.QUESTION);
		if (question == null) {
			return;
		}
		String name = normalize(question.name());
		this.queryCounts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		if (!this.answering.getAsBoolean()) {
			logger.debug("Dropping DNS query for {} {}", question.type(), name);
			return;
		}
		DnsRecordSet recordSet = this.records.get(name);
		DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
				DnsOpCode.QUERY, (recordSet != null) ? DnsResponseCode.NOERROR : DnsResponseCode.NXDOMAIN);
		response.setAuthoritativeAnswer(true);
		response.setRecursionDesired(query.isRecursionDesired());
		response.setRecursionAvailable(true);
		response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
		if (recordSet != null) {
			if (DnsRecordType.A.equals(question.type())) {
				addAnswers(response, question, recordSet.nextIpv4Answer(), recordSet.ttlSeconds());
			}
			else if (DnsRecordType.AAAA.equals(question.type())) {
				addAnswers(response, question, recordSet.nextIpv6Answer(), recordSet.ttlSeconds());
			}
		}
		ctx.writeAndFlush(response);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// A malformed datagram must not stop the server from answering the next one.
		logger.debug("Ignoring a DNS datagram that failed to decode", cause);
	}

	private static void addAnswers(DatagramDnsResponse response, DnsQuestion question, List<byte[]> addresses,
			long ttlSeconds) {
		for (byte[] address : addresses) {
			response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), question.type(), ttlSeconds,
					Unpooled.wrappedBuffer(address)));
		}
	}

	static String normalize(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

}
