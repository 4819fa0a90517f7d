package io.redisdiscovery.lab.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.redisdiscovery.lab.RedisLabException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DNS server on 127.0.0.1 and a free UDP port whose A/AAAA records can be changed, rotated and switched off while
 * clients use it.
 */
public final class LabDnsServer implements AutoCloseable {

	private static final String BIND_HOST = "127.0.0.1";

	private static final Logger logger = LoggerFactory.getLogger(LabDnsServer.class);

	private final Map<String, DnsRecordSet> records = new ConcurrentHashMap<>();

	private final DnsQueryHandler handler;

	private final EventLoopGroup group;

	private final Channel channel;

	private volatile boolean answering = true;

	private LabDnsServer() {
		this.handler = new DnsQueryHandler(this.records, () -> this.answering);
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("redis-lab-dns", true),
				NioIoHandler.newFactory());
		try {
			this.channel = new Bootstrap().group(this.group)
				.channel(NioDatagramChannel.class)
				.handler(new ChannelInitializer<DatagramChannel>() {
					@Override
					protected void initChannel(DatagramChannel ch) {
						ch.pipeline()
							.addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
									LabDnsServer.this.handler);
					}
				})
				// UDP port 0: the kernel picks a free port, and UDP never competes with the lab's TCP ports.
				.bind(BIND_HOST, 0)
				.syncUninterruptibly()
				.channel();
		}
		catch (RuntimeException ex) {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw new RedisLabException("Cannot start the lab DNS server on " + BIND_HOST, ex);
		}
		logger.debug("Lab DNS server listening on udp://{}", hostAndPort());
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

	public void resumeAnswering() {
		this.answering = true;
	}

	/**
	 * How many queries (of any type, answered or dropped) arrived for {@code name}.
	 */
	public int queryCount(String name) {
		return this.handler.queryCount(name);
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Override
	public String toString() {
		return "LabDnsServer[udp://" + hostAndPort() + "]";
	}

}
