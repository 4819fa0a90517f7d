package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.proxy.TcpProxy;

/**
 * A mode's lab topology for the soak: where the application connects, where each key lives for verification,
 * the data nodes whose client connections are counted, and the rotation of faults.
 *
 * @param target where the application connects
 * @param locator a snapshot of where keys live now (take one after the run, then look up every key)
 * @param dataNodes the live data nodes
 * @param faults the rotation, injected in order and then again
 */
record SoakTopology(Variant.Target target, Supplier<Function<String, InetSocketAddress>> locator,
		Supplier<List<RedisServer>> dataNodes, List<SoakFault> faults) {

	private static final Duration AWAIT = Duration.ofSeconds(40);

	static final Map<String, Function<RedisLab, SoakTopology>> MODES = Map.of("standalone", SoakTopology::standalone,
			"load-balancer", SoakTopology::loadBalancer, "sentinel", SoakTopology::sentinel, "cluster",
			SoakTopology::cluster, "dns", SoakTopology::dns);

	static final List<String> MODE_ORDER = List.of("standalone", "load-balancer", "sentinel", "cluster", "dns");

	/**
	 * A server with {@code appendfsync always} (a restart keeps every acknowledged write) behind a proxy that can
	 * black-hole it.
	 */
	static SoakTopology standalone(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		TcpProxy proxy = lab.startProxy(server.address());
		return new SoakTopology(Variant.Target.fixed("standalone", proxy.address()), () -> (key) -> server.address(),
				() -> List.of(server), List.of(new SoakFault("kill -9, restart 3 s later", () -> {
					server.kill();
					Thread.sleep(3000);
					server.restart();
					return null;
				}), new SoakFault("restart (SIGTERM, start)", () -> {
					server.restart();
					return null;
				}), new SoakFault("black hole 3 s (proxy)", () -> {
					proxy.blackhole(true);
					Thread.sleep(3000);
					proxy.blackhole(false);
					return null;
				})));
	}

	/** A balancer in front of two proxies of one database; the faults hit the proxy the application uses. */
	static SoakTopology loadBalancer(RedisLab lab) {
		RedisServer database = lab.startServer();
		TcpProxy proxyA = lab.startProxy("127.0.0.2", database.address());
		TcpProxy proxyB = lab.startProxy("127.0.0.3", database.address());
		TcpProxy balancer = lab.startProxy(proxyA.address(), proxyB.address());
		List<TcpProxy> backends = List.of(proxyA, proxyB);
		return new SoakTopology(Variant.Target.fixed("load-balancer", balancer.address()), () -> (key) -> database.address(),
				() -> List.of(database), List.of(new SoakFault("backend kill (refuse + close), back after 5 s", () -> {
					TcpProxy backend = busiest(backends);
					backend.refuseNewConnections(true);
					backend.killConnections();
					Thread.sleep(5000);
					backend.refuseNewConnections(false);
					return null;
				}), new SoakFault("backend black hole 8 s", () -> {
					TcpProxy backend = busiest(backends);
					backend.blackhole(true);
					Thread.sleep(8000);
					backend.blackhole(false);
					return null;
				})));
	}

	/** A master with two replicas and three Sentinels. */
	static SoakTopology sentinel(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("soak", 2);
		AtomicInteger sentinelTurn = new AtomicInteger();
		Supplier<List<RedisServer>> dataNodes = () -> group.dataNodes()
			.stream()
			.filter(RedisServer::isAlive)
			.toList();
		return new SoakTopology(Variant.Target.sentinel(group.masterName(), group.sentinelAddresses()),
				() -> {
					InetSocketAddress master = group.master().address();
					return (key) -> master;
				}, dataNodes,
				List.of(new SoakFault("kill -9 master, restart it as a replica", () -> {
					RedisServer master = group.master();
					Duration lag = ReplicationLag.measure(master, group.replicas());
					master.kill();
					MasterKill kill = MasterKill.of(master.toString(), System.nanoTime(), lag, (key) -> true);
					group.awaitNewMaster(master, AWAIT);
					master.restart();
					group.awaitReplicasInSync(AWAIT);
					return kill;
				}), new SoakFault("SENTINEL FAILOVER", () -> {
					RedisServer master = group.master();
					group.failover();
					group.awaitNewMaster(master, AWAIT);
					group.awaitReplicasInSync(AWAIT);
					return null;
				}), new SoakFault("kill -9 a Sentinel, restart it 5 s later", () -> {
					List<RedisServer> sentinels = group.sentinels();
					RedisServer sentinel = sentinels.get(sentinelTurn.getAndIncrement() % sentinels.size());
					sentinel.kill();
					Thread.sleep(5000);
					sentinel.restart();
					return null;
				})));
	}

	/** Three masters with a replica each. */
	static SoakTopology cluster(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		AtomicInteger turn = new AtomicInteger();
		Supplier<List<RedisServer>> dataNodes = () -> cluster.nodes().stream().filter(RedisServer::isAlive).toList();
		return new SoakTopology(Variant.Target.cluster(cluster.seedAddresses()),
				() -> {
					InetSocketAddress[] owners = ClusterSlots.owners(cluster.masters().get(0));
					return (key) -> owners[RedisClusterLab.slotFor(key)];
				}, dataNodes,
				List.of(new SoakFault("kill -9 a master, restart it as a replica", () -> {
					RedisServer master = pick(cluster.masters(), turn);
					List<int[]> slots = ClusterSlots.servedBy(master);
					Duration lag = ReplicationLag.measure(master, cluster.replicasOf(master));
					cluster.killMaster(master);
					MasterKill kill = MasterKill.of(master.toString(), System.nanoTime(), lag,
							(key) -> ClusterSlots.contains(slots, RedisClusterLab.slotFor(key)));
					cluster.awaitPromotion(master, AWAIT);
					master.restart();
					cluster.awaitClusterOk(AWAIT);
					return kill;
				}), new SoakFault("CLUSTER FAILOVER", () -> {
					RedisServer master = pick(cluster.masters(), turn);
					cluster.manualFailover(cluster.replicasOf(master).get(0));
					return null;
				}), new SoakFault("migrate 32 slots (with their keys) to another master", () -> {
					List<RedisServer> masters = cluster.masters();
					int index = turn.getAndIncrement() % masters.size();
					RedisServer source = masters.get(index);
					int[] range = ClusterSlots.servedBy(source).get(0);
					int last = Math.min(range[1], range[0] + 31);
					cluster.moveSlots(range[0], last, masters.get((index + 1) % masters.size()));
					return null;
				})));
	}

	/**
	 * Redis Enterprise style: a proxy per address record in front of one database, all three records published.
	 */
	static SoakTopology dns(RedisLab lab) {
		FailoverScorecard.DnsLab dns = FailoverScorecard.DnsLab.start(lab);
		String hostname = FailoverScorecard.DnsLab.HOSTNAME;
		Duration ttl = FailoverScorecard.DnsLab.TTL;
		String[] ips = FailoverScorecard.DnsLab.IPS;
		dns.server().setRecords(hostname, ttl, ips);
		return new SoakTopology(dns.target(), () -> (key) -> dns.database().address(), () -> List.of(dns.database()),
				List.of(new SoakFault("proxy kill (refuse + close), back after 5 s", () -> {
					TcpProxy proxy = busiest(dns.proxies());
					proxy.refuseNewConnections(true);
					proxy.killConnections();
					Thread.sleep(5000);
					proxy.refuseNewConnections(false);
					return null;
				}), new SoakFault("record change away from the proxy in use, which dies 3 s later", () -> {
					TcpProxy proxy = busiest(dns.proxies());
					String[] others = Stream.of(ips).filter((ip) -> !ip.equals(proxy.host())).toArray(String[]::new);
					dns.server().setRecords(hostname, ttl, others);
					Thread.sleep(3000);
					proxy.refuseNewConnections(true);
					proxy.killConnections();
					Thread.sleep(3000);
					proxy.refuseNewConnections(false);
					dns.server().setRecords(hostname, ttl, ips);
					return null;
				}), new SoakFault("DNS server silent 10 s, proxy in use killed after 3 s", () -> {
					dns.server().stopAnswering();
					try {
						Thread.sleep(3000);
						TcpProxy proxy = busiest(dns.proxies());
						proxy.refuseNewConnections(true);
						proxy.killConnections();
						Thread.sleep(7000);
						proxy.refuseNewConnections(false);
					}
					finally {
						dns.server().resumeAnswering();
					}
					return null;
				})));
	}

	private static TcpProxy busiest(List<TcpProxy> proxies) {
		return proxies.stream().max(Comparator.comparingInt(TcpProxy::activeConnections)).orElseThrow();
	}

	private static RedisServer pick(List<RedisServer> nodes, AtomicInteger turn) {
		return new ArrayList<>(nodes).get(turn.getAndIncrement() % nodes.size());
	}

}
