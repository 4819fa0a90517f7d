package io.redisdiscovery.lab.dns;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LabDnsServer}, queried by Netty's own DNS resolver and by hand-made UDP packets.
 */
@ExtendWith(RedisLabExtension.class)
class LabDnsServerTests {

	private static final String NAME = "redis.lab.test";

	private static LabDnsServer dns;

	private static EventLoopGroup group;

	private DnsNameResolver resolver;

	@BeforeAll
	static void startServer(RedisLab lab) {
		dns = lab.startDnsServer();
		group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
	}

	@AfterAll
	static void stopGroup() {
		group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@BeforeEach
	void createResolver() {
		dns.resumeAnswering();
		this.resolver = new DnsNameResolverBuilder(group.next()).datagramChannelType(NioDatagramChannel.class)
			.nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
			.resolveCache(NoopDnsCache.INSTANCE)
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
			.searchDomains(List.of())
			.ndots(1)
			.queryTimeoutMillis(500)
			.maxQueriesPerResolve(1)
			.build();
	}

	@AfterEach
	void closeResolver() {
		this.resolver.close();
	}

	@Test
	void answersARecordsThroughNettysResolver() throws Exception {
		dns.setRecords(NAME, Duration.ofSeconds(30), "127.0.0.1", "127.0.0.2", "127.0.0.3");

		List<InetAddress> addresses = this.resolver.resolveAll(NAME).get();

		assertThat(dns.address().getAddress().isLoopbackAddress()).isTrue();
		assertThat(dns.hostAndPort()).isEqualTo("127.0.0.1:" + dns.address().getPort());
		assertThat(addresses).extracting(InetAddress::getHostAddress)
			.containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2", "127.0.0.3");
	}

	@Test
	void rotatesTheAnswerOrderOnEveryQuery() throws Exception {
		dns.setRecords("rotating.lab.test", Duration.ofSeconds(30), "127.0.0.1", "127.0.0.2", "127.0.0.3");

		List<String> firsts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			firsts.add(this.resolver.resolveAll("rotating.lab.test").get().get(0).getHostAddress());
		}

		assertThat(firsts).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
		assertThat(dns.queryCount("rotating.lab.test")).isEqualTo(3);
	}

	@Test
	void servesTheConfiguredTtl() throws Exception {
		dns.setRecords("ttl.lab.test", Duration.ofSeconds(7), "127.0.0.9");

		List<DnsRecord> records = this.resolver
			.resolveAll(new DefaultDnsQuestion("ttl.lab.test", DnsRecordType.A))
			.get();
		try {
			assertThat(records).hasSize(1);
			assertThat(records.get(0).timeToLive()).isEqualTo(7);
			assertThat(ByteBufUtil.getBytes(((DnsRawRecord) records.get(0)).content()))
				.isEqualTo(new byte[] { 127, 0, 0, 9 });
		}
		finally {
			records.forEach(ReferenceCountUtil::release);
		}
	}

	@Test
	void answersNxdomainForUnknownAndRemovedNames() throws Exception {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.resolver.resolveAll("unknown.lab.test").get())
			.withCauseInstanceOf(UnknownHostException.class);
		RawAnswer raw = RawAnswer.query(dns, "unknown.lab.test", 1);
		assertThat(raw.responseCode()).isEqualTo(3);

		dns.setRecords("removed.lab.test", Duration.ofSeconds(1), "127.0.0.1");
		assertThat(this.resolver.resolveAll("removed.lab.test").get()).hasSize(1);
		dns.removeRecords("removed.lab.test");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.resolver.resolveAll("removed.lab.test").get())
			.withCauseInstanceOf(UnknownHostException.class);
	}

	@Test
	void recordsChangeAtRunTime() throws Exception {
		dns.setRecords("moving.lab.test", Duration.ofSeconds(1), "127.0.0.1");
		assertThat(this.resolver.resolve("moving.lab.test").get().getHostAddress()).isEqualTo("127.0.0.1");

		dns.setRecords("moving.lab.test", Duration.ofSeconds(1), "127.0.0.42");

		assertThat(this.resolver.resolve("moving.lab.test").get().getHostAddress()).isEqualTo("127.0.0.42");
	}

	@Test
	void stopsAnsweringAndResumes() throws Exception {
		dns.setRecords("silent.lab.test", Duration.ofSeconds(1), "127.0.0.1");

		dns.stopAnswering();

		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.resolver.resolveAll("silent.lab.test").get());
		assertThatExceptionOfType(SocketTimeoutException.class)
			.isThrownBy(() -> RawAnswer.query(dns, "silent.lab.test", 1));
		assertThat(dns.queryCount("silent.lab.test")).isGreaterThanOrEqualTo(2);

		dns.resumeAnswering();

		assertThat(this.resolver.resolveAll("silent.lab.test").get()).hasSize(1);
	}

	@Test
	void answersRawUdpQueriesForAAndAaaaRecords() throws Exception {
		dns.setRecords("raw.lab.test", Duration.ofSeconds(42), "127.0.0.5", "127.0.0.6", "::1");

		RawAnswer a = RawAnswer.query(dns, "raw.lab.test", 1);
		RawAnswer aaaa = RawAnswer.query(dns, "raw.lab.test", 28);
		RawAnswer mx = RawAnswer.query(dns, "raw.lab.test", 15);

		assertThat(a.responseCode()).isZero();
		assertThat(a.answerCount()).isEqualTo(2);
		assertThat(a.firstTtl()).isEqualTo(42);
		assertThat(aaaa.answerCount()).isEqualTo(1);
		assertThat(mx.responseCode()).isZero();
		assertThat(mx.answerCount()).isZero();
	}

	@Test
	void truncatesLargeUdpAnswersAndAnswersInFullOverTcp() throws Exception {
		String[] many = new String[40];
		for (int i = 0; i < many.length; i++) {
			many[i] = "127.0.1." + (i + 1);
		}
		dns.setRecords("large.lab.test", Duration.ofSeconds(30), many);

		RawAnswer udp = RawAnswer.query(dns, "large.lab.test", 1);
		assertThat(udp.truncated()).isTrue();
		assertThat(udp.answerCount()).isPositive().isLessThan(many.length);
		assertThat(udp.length()).isLessThanOrEqualTo(DnsQueryHandler.MAX_UDP_MESSAGE_BYTES);

		DnsNameResolver overTcp = new DnsNameResolverBuilder(group.next()).datagramChannelType(NioDatagramChannel.class)
			.socketChannelType(NioSocketChannel.class)
			.nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
			.resolveCache(NoopDnsCache.INSTANCE)
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
			.searchDomains(List.of())
			.ndots(1)
			.queryTimeoutMillis(500)
			.build();
		try {
			assertThat(overTcp.resolveAll("large.lab.test").get()).extracting(InetAddress::getHostAddress)
				.containsExactlyInAnyOrder(many);
			assertThat(dns.tcpQueryCount("large.lab.test")).isPositive();
		}
		finally {
			overTcp.close();
		}
	}

	@Test
	void dropsTheQueriesOfOneRecordTypeWhileAnsweringOthers() throws Exception {
		dns.setRecords("half.lab.test", Duration.ofSeconds(1), "127.0.0.1", "::1");

		dns.dropQueries("A");

		assertThatExceptionOfType(SocketTimeoutException.class)
			.isThrownBy(() -> RawAnswer.query(dns, "half.lab.test", 1));
		assertThat(RawAnswer.query(dns, "half.lab.test", 28).answerCount()).isEqualTo(1);

		dns.resumeAnswering();

		assertThat(RawAnswer.query(dns, "half.lab.test", 1).answerCount()).isEqualTo(1);
	}

	/**
	 * A DNS reply to a hand-made query, decoded just enough for the assertions.
	 */
	private record RawAnswer(int responseCode, int answerCount, long firstTtl, boolean truncated, int length) {

		static RawAnswer query(LabDnsServer server, String name, int type) throws Exception {
			int id = 0x1234;
			ByteArrayOutputStream packet = new ByteArrayOutputStream();
			// Header: id, flags (RD), 1 question, 0 answers, 0 authority, 0 additional.
			packet.writeBytes(new byte[] { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 });
			for (String label : name.split("\\.")) {
				packet.write(label.length());
				packet.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
			}
			packet.write(0);
			packet.writeBytes(new byte[] { 0, (byte) type, 0, 1 });
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				socket.setSoTimeout(500);
				byte[] query = packet.toByteArray();
				socket.send(new DatagramPacket(query, query.length, server.address()));
				byte[] buffer = new byte[4096];
				DatagramPacket response = new DatagramPacket(buffer, buffer.length);
				socket.receive(response);
				ByteBuffer reply = ByteBuffer.wrap(buffer, 0, response.getLength());
				assertThat(reply.getShort() & 0xFFFF).isEqualTo(id);
				int flags = reply.getShort() & 0xFFFF;
				assertThat(flags & 0x8000).as("QR bit").isNotZero();
				reply.getShort();
				int answers = reply.getShort() & 0xFFFF;
				reply.getShort();
				reply.getShort();
				reply.position(reply.position() + query.length - 12);
				long ttl = -1;
				if (answers > 0) {
					skipName(reply);
					reply.getShort();
					reply.getShort();
					ttl = reply.getInt() & 0xFFFFFFFFL;
				}
				return new RawAnswer(flags & 0x0F, answers, ttl, (flags & 0x0200) != 0, response.getLength());
			}
		}

		private static void skipName(ByteBuffer buffer) {
			while (true) {
				int length = buffer.get() & 0xFF;
				if (length == 0) {
					return;
				}
				if ((length & 0xC0) == 0xC0) {
					buffer.get();
					return;
				}
				buffer.position(buffer.position() + length);
			}
		}

	}

}
