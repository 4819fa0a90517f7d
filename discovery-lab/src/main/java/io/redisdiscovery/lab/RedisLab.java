package io.redisdiscovery.lab;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.internal.LabJanitor;
import io.redisdiscovery.lab.internal.TempDirectories;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.lab.sentinel.DiscoveryServiceStandIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts real Redis servers, Sentinel groups, clusters, DNS servers and TCP proxies on loopback and owns them, so
 * closing the lab kills its processes, closes its proxies and DNS servers and deletes its temp directory.
 */
public final class RedisLab implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisLab.class);

	private static final int PORT_CONFLICT_ATTEMPTS = 3;

	private final RedisBinary binary;

	private final Path directory;

	private final AtomicInteger sequence = new AtomicInteger();

	private final List<RedisServer> servers = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	/**
	 * A lab running the binary {@link RedisBinary#resolve()} picks.
	 */
	public RedisLab() {
		this(RedisBinary.resolve());
	}

	public RedisLab(RedisBinary binary) {
		this.binary = binary;
		this.directory = TempDirectories.create("redis-lab-");
		LabJanitor.register(this.directory);
	}

	public RedisBinary binary() {
		return this.binary;
	}

	/**
	 * The temp directory holding every node's config, data and log; deleted on {@link #close()}.
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Starts a standalone server on 127.0.0.1 and a free port.
	 */
	public RedisServer startServer() {
		return startServer(RedisServerOptions.defaults());
	}

	/**
	 * Starts a standalone server with the given options and waits until it answers.
	 */
	public RedisServer startServer(RedisServerOptions options) {
		NodeSpec spec = new NodeSpec(nextName("server"), options.bindHost(), NodeSpec.Kind.DATA, options.password(),
				options.tls(), (port, dir) -> {
					List<String> lines = RedisConfig.dataNode(port, List.of(options.bindHost()), dir);
					lines.addAll(options.toConfigLines());
					return lines;
				});
		return launch(List.of(spec)).get(0);
	}

	/**
	 * Starts a master, {@code replicas} replicas and three Sentinels monitoring them, and waits until every Sentinel
	 * sees the whole group and every replica is in sync.
	 */
	public SentinelGroup startSentinelGroup(String masterName, int replicas) {
		return startSentinelGroup(masterName, replicas, SentinelGroupOptions.defaults());
	}

	public SentinelGroup startSentinelGroup(String masterName, int replicas, SentinelGroupOptions options) {
		return SentinelGroup.start(this, masterName, replicas, options);
	}

	/**
	 * Starts a cluster of {@code masters} masters with {@code replicasPerMaster} replicas each, created from Java, and
	 * waits until every node reports {@code cluster_state:ok} and agrees on the slot map.
	 */
	public RedisClusterLab startCluster(int masters, int replicasPerMaster) {
		return startCluster(masters, replicasPerMaster, RedisClusterOptions.defaults());
	}

	public RedisClusterLab startCluster(int masters, int replicasPerMaster, RedisClusterOptions options) {
		return RedisClusterLab.start(this, masters, replicasPerMaster, options);
	}

	/**
	 * Starts a DNS server on 127.0.0.1 and a free UDP port.
	 */
	public LabDnsServer startDnsServer() {
		ensureOpen();
		return own(LabDnsServer.start());
	}

	/**
	 * Starts a round-robin TCP proxy on 127.0.0.1 and a free port.
	 */
	public TcpProxy startProxy(InetSocketAddress... backends) {
		return startProxy(RedisServerOptions.DEFAULT_BIND_HOST, backends);
	}

	/**
	 * Starts a round-robin TCP proxy on the given loopback address (for example {@code 127.0.0.11}) and a free port.
	 */
	public TcpProxy startProxy(String bindHost, InetSocketAddress... backends) {
		ensureOpen();
		return own(TcpProxy.start(bindHost, backends));
	}

	/**
	 * Starts a round-robin TCP proxy on the given loopback address and port, so that proxies on several addresses
	 * can share one port.
	 */
	public TcpProxy startProxy(String bindHost, int port, InetSocketAddress... backends) {
		ensureOpen();
		return own(TcpProxy.start(bindHost, port, backends));
	}

	/**
	 * Starts a stand-in for Redis Enterprise's Sentinel discovery service in front of a Sentinel group's live
	 * Sentinels; it answers only the command subset the real service answers.
	 */
	public DiscoveryServiceStandIn startDiscoveryServiceStandIn(SentinelGroup group) {
		ensureOpen();
		return own(DiscoveryServiceStandIn.start(() -> group.sentinels()
			.stream()
			.filter(RedisServer::isAlive)
			.map(RedisServer::address)
			.toList()));
	}

	/**
	 * Every Redis and Sentinel process this lab started, running or not.
	 */
	public List<RedisServer> servers() {
		return List.copyOf(this.servers);
	}

	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Closes proxies and DNS servers, kills every process (the data is about to be deleted, so there is nothing to shut
	 * down gracefully) and deletes the lab's temp directory.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		List<AutoCloseable> owned = new ArrayList<>(this.resources);
		Collections.reverse(owned);
		for (AutoCloseable resource : owned) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close {}", resource, ex);
			}
		}
		for (RedisServer server : this.servers) {
			try {
				server.kill();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not kill {}", server, ex);
			}
		}
		TempDirectories.deleteQuietly(this.directory);
		LabJanitor.unregister(this.directory);
	}

	String nextName(String kind) {
		return kind + "-" + this.sequence.incrementAndGet();
	}

	/**
	 * Spawns all nodes first and then waits for each, so a group starts in about the time of its slowest node; a node
	 * that lost its port to someone else is moved to another port.
	 */
	List<RedisServer> launch(List<NodeSpec> specs) {
		ensureOpen();
		List<RedisServer> nodes = new ArrayList<>();
		for (NodeSpec spec : specs) {
			RedisServer node = new RedisServer(this.binary, spec, this.directory.resolve(spec.name()));
			// Owned before it is spawned, so close() also cleans up after a failed start.
			this.servers.add(node);
			nodes.add(node);
		}
		nodes.forEach(RedisServer::launchOnFreePort);
		for (RedisServer node : nodes) {
			awaitStarted(node);
		}
		return nodes;
	}

	private void awaitStarted(RedisServer node) {
		for (int attempt = 1;; attempt++) {
			try {
				node.awaitReady(RedisServer.START_TIMEOUT);
				logger.debug("{} is ready", node);
				return;
			}
			catch (RedisServer.PortConflictException ex) {
				if (attempt == PORT_CONFLICT_ATTEMPTS) {
					throw ex;
				}
				logger.debug("{} lost its port to another process, retrying on another port", node);
				node.kill();
				node.launchOnFreePort();
			}
		}
	}

	private <T extends AutoCloseable> T own(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new RedisLabException("This RedisLab is closed");
		}
	}

}
