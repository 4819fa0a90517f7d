package io.redisdiscovery.lab.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.redisdiscovery.lab.RedisLabException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DNS server on 127.0.0.1 and a free port, over UDP and TCP, whose A/AAAA records can be changed, rotated and
 * switched off while clients use it. UDP answers larger than 512 bytes are truncated (TC bit) as by a server without
 * EDNS; TCP answers are complete.
 */
public final class LabDnsServer implements AutoCloseable {

	private static final String BIND_HOST = "127.0.0.1";

	private static final Logger logger = LoggerFactory.getLogger(LabDnsServer.class);

	/** Attempts to find a port free for both UDP and TCP. */
	private static final int BIND_ATTEMPTS = 20;

	private final Map<String, DnsRecordSet> records = new ConcurrentHashMap<>();

	private final DnsQueryHandler handler;

	private final EventLoopGroup group;

	private final Channel channel;

	private final Channel tcpChannel;

	private volatile boolean answering = true;

	private LabDnsServer() {
		this.handler = new DnsQueryHandler(this.records, () -> this.answering);
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("redis-lab-dns", true),
				NioIoHandler.newFactory());
		try {
			Channel[] channels = bind();
			this.channel = channels[0];
			this.tcpChannel = channels[1];
		}
		catch (RuntimeException ex) {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw new RedisLabException("Cannot start the lab DNS server on " + BIND_HOST, ex);
		}
		logger.debug("Lab DNS server listening on udp:// and tcp://{}", hostAndPort());
	}

	/**
	 * Binds UDP to a port the kernel picks (UDP never competes with the lab's TCP ports), then TCP to the same port,
	 * as resolvers retry a truncated answer over TCP at the address they asked over UDP.
	 */
	private Channel[] bind() {
		IllegalStateException last = null;
		for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
			Channel udp = new Bootstrap().group(this.group)
				.channel(NioDatagramChannel.class)
				.handler(new ChannelInitializer<DatagramChannel>() {
					@Override
					protected void initChannel(DatagramChannel ch) {
						ch.pipeline()
							.addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
									LabDnsServer.this.handler);
					}
				})
				.bind(BIND_HOST, 0)
				.syncUninterruptibly()
				.channel();
			int port = ((InetSocketAddress) udp.localAddress()).getPort();
			ChannelFuture tcp = new ServerBootstrap().group(this.group)
				.channel(NioServerSocketChannel.class)
				.childHandler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel ch) {
						ch.pipeline()
							.addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), LabDnsServer.this.handler);
					}
				})
				.bind(BIND_HOST, port)
				.awaitUninterruptibly();
			if (tcp.isSuccess()) {
				return new Channel[] { udp, tcp.channel() };
			}
			// The TCP port is taken (the bind failure is a checked BindException): try another UDP port.
			udp.close().syncUninterruptibly();
			last = new IllegalStateException("TCP port " + port + " is taken", tcp.cause());
		}
		throw (last != null) ? last : new IllegalStateException("No port free for UDP and TCP");
	}

	/**
	 * Starts a DNS server; prefer {@code RedisLab#startDnsServer()}, which closes it with the lab.
	 */
	public static LabDnsServer start() {
		return new LabDnsServer();
	}

	public InetSocketAddress address() {
		return (InetSocketAddress) this.channel.localAddress();
	}

	/**
	 * The server address as {@code 127.0.0.1:port}.
	 */
	public String hostAndPort() {
		return BIND_HOST + ":" + address().getPort();
	}

	/**
	 * Replaces the records of {@code name}: IPv4 literals become A records, IPv6 literals AAAA records, all served with
	 * {@code ttl}.
	 */
	public void setRecords(String name, Duration ttl, String... addresses) {
		List<byte[]> ipv4 = new ArrayList<>();
		List<byte[]> ipv6 = new ArrayList<>();
		for (String address : addresses) {
			byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
			if (bytes == null) {
				throw new IllegalArgumentException("Not an IP address literal: " + address);
			}
			((bytes.length == 4) ? ipv4 : ipv6).add(bytes);
		}
		this.records.put(DnsQueryHandler.normalize(name), new DnsRecordSet(ipv4, ipv6, ttl.toSeconds()));
	}

	/**
	 * Forgets {@code name}: further queries get NXDOMAIN.
	 */
	public void removeRecords(String name) {
		this.records.remove(DnsQueryHandler.normalize(name));
	}

	/**
	 * Drops every query silently from now on, so resolvers time out.
	 */
	public void stopAnswering() {
		this.answering = false;
	}

	/**
	 * Answers every query again, after {@link #stopAnswering()} or {@link #dropQueries(String)}.
	 */
	public void resumeAnswering() {
		this.answering = true;
		this.handler.answerAllTypes();
	}

	/**
	 * Drops the queries of one record type ({@code "A"}, {@code "AAAA"}) silently, over UDP and TCP, until
	 * {@link #resumeAnswering()}, while other types are answered: a server or middlebox that loses one type.
	 */
	public void dropQueries(String recordType) {
		this.handler.drop(DnsRecordType.valueOf(recordType));
	}

	/**
	 * How many queries (of any type, answered or dropped) arrived for {@code name}, over UDP and TCP.
	 */
	public int queryCount(String name) {
		return this.handler.queryCount(name);
	}

	/**
	 * How many of the queries for {@code name} came over TCP.
	 */
	public int tcpQueryCount(String name) {
		return this.handler.tcpQueryCount(name);
	}

	@Override
	public void close() {
		this.tcpChannel.close().syncUninterruptibly();
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Override
	public String toString() {
		return "LabDnsServer[udp://" + hostAndPort() + "]";
	}

}
