package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.RespClient;
import io.redisdiscovery.lab.SentinelGroup;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs each failover scenario once per {@link Api} (or {@code --runs N} times, each on a fresh lab) with every
 * {@link Variant} side by side on the same lab servers and the same fault, and reports what the application saw.
 * <p>
 * "First write after event" counts from the moment the server side healed, as close to it as the lab can see it;
 * each scenario's Javadoc says what that moment is. Where the lab's own wait asks for more than the heal (every
 * Sentinel agreeing, a healthy cluster), a {@link HealWatch} polls for the heal itself every
 * {@value HealWatch#POLL_MILLIS} ms and the event is the reply that first showed it.
 */
final class FailoverScorecard {

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private static final Duration SETTLE = Duration.ofSeconds(10);

	private static final int THREADS = 4;

	/** How long a frozen standalone server stays frozen. */
	private static final Duration STANDALONE_FREEZE = Duration.ofSeconds(5);

	/** How long a balancer backend stays black-holed. */
	private static final Duration BLACKHOLE = Duration.ofSeconds(15);

	/** How long a frozen master stays frozen after its replacement was announced (Sentinel) or promoted (cluster). */
	private static final Duration THAW_AFTER_ANNOUNCEMENT = Duration.ofSeconds(3);

	/** The connect and read timeout of a {@link HealWatch} command to a live node. */
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	/** Run only when named: it has no fault, so its "first write after event" means nothing. */
	private static final String NO_FAULT = "load-balancer-no-fault";

	private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

	FailoverScorecard() {
		this.scenarios.put("standalone-restart", this::standaloneRestart);
		this.scenarios.put("standalone-frozen", this::standaloneFrozen);
		this.scenarios.put("standalone-silent-connection", this::standaloneSilentConnection);
		this.scenarios.put("load-balancer-backend-kill", (lab) -> loadBalancer(lab, BalancerFault.KILL));
		this.scenarios.put("load-balancer-blackhole", (lab) -> loadBalancer(lab, BalancerFault.BLACKHOLE));
		this.scenarios.put(NO_FAULT, (lab) -> loadBalancer(lab, BalancerFault.NONE));
		this.scenarios.put("sentinel-kill-master", (lab) -> sentinel(lab, false));
		this.scenarios.put("sentinel-ordered-failover", (lab) -> sentinel(lab, true));
		this.scenarios.put("sentinel-frozen-master", this::sentinelFrozenMaster);
		this.scenarios.put("dns-proxy-kill", this::dnsProxyKill);
		this.scenarios.put("dns-record-change", this::dnsRecordChange);
		this.scenarios.put("cluster-kill-master", (lab) -> cluster(lab, ClusterFault.KILL));
		this.scenarios.put("cluster-manual-failover", (lab) -> cluster(lab, ClusterFault.MANUAL_FAILOVER));
		this.scenarios.put("cluster-frozen-master", (lab) -> cluster(lab, ClusterFault.FREEZE));
		this.scenarios.put("cluster-silent-connection", this::clusterSilentConnection);
		this.scenarios.put("cluster-reshard", this::clusterReshard);
	}

	/**
	 * Runs the scenarios.
	 * @param arguments scenario names (none: all but the one without a fault), {@code --api a,b} to pick APIs by
	 * label (default: all) and {@code --runs N} to run each scenario and API N times (default: 1), {@code --variants
	 * a,b} to pick variants by option name ({@code starter}, {@code boot-default}, {@code boot-tuned}; default: all)
	 * @return what every variant saw, run by run
	 * @throws Exception when a scenario cannot be set up
	 */
	List<Result> run(List<String> arguments) throws Exception {
		List<String> names = new ArrayList<>(arguments);
		List<Api> apis = List.of(Api.values());
		int option = names.indexOf("--api");
		if (option >= 0) {
			List<String> labels = List.of(names.get(option + 1).split(","));
			apis = Stream.of(Api.values()).filter((api) -> labels.contains(api.label())).toList();
			names.subList(option, option + 2).clear();
		}
		int runs = runs(names);
		List<Variant> variants = variants(names);
		List<String> unknown = names.stream().filter((name) -> !this.scenarios.containsKey(name)).toList();
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Unknown scenario(s) " + unknown + ": use " + this.scenarios.keySet());
		}
		List<Result> results = new ArrayList<>();
		for (Map.Entry<String, Scenario> scenario : this.scenarios.entrySet()) {
			if (names.isEmpty() ? !scenario.getKey().equals(NO_FAULT) : names.contains(scenario.getKey())) {
				for (Api api : apis) {
					for (int run = 1; run <= runs; run++) {
						try (RedisLab lab = new RedisLab()) {
							Setup setup = scenario.getValue().run(lab);
							if (!api.supports(setup.target().cluster())) {
								break;
							}
							results.addAll(setup.measure(scenario.getKey(), api, run, variants));
						}
					}
				}
			}
		}
		return results;
	}

	/** Takes {@code --variants a,b} out of the arguments. */
	private static List<Variant> variants(List<String> arguments) {
		int option = arguments.indexOf("--variants");
		if (option < 0) {
			return List.of(Variant.values());
		}
		List<String> names = List.of(arguments.get(option + 1).split(","));
		List<Variant> variants = Stream.of(Variant.values()).filter((v) -> names.contains(v.optionName())).toList();
		if (variants.size() != names.size()) {
			throw new IllegalArgumentException("Unknown variant in " + names + ": use starter, boot-default, boot-tuned");
		}
		arguments.subList(option, option + 2).clear();
		return variants;
	}

	/** Takes {@code --runs N} out of the arguments. */
	private static int runs(List<String> arguments) {
		int option = arguments.indexOf("--runs");
		if (option < 0) {
			return 1;
		}
		int runs = Integer.parseInt(arguments.get(option + 1));
		if (runs < 1) {
			throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
		}
		arguments.subList(option, option + 2).clear();
		return runs;
	}

	/**
	 * Standalone server killed with -9 and restarted 3 s later (persistence on, so data survives). The event is the
	 * restarted server's first {@code PONG}, polled every {@value HealWatch#POLL_MILLIS} ms while it starts.
	 */
	private Setup standaloneRestart(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		return new Setup(Variant.Target.fixed("standalone", server.address()), (key) -> server.address(), (mark) -> {
			mark.fault();
			server.kill();
			Thread.sleep(3000);
			try (HealWatch accepting = HealWatch.start("restart", PROBE_TIMEOUT,
					(redis) -> "PONG".equals(redis.call(server.address(), "PING")))) {
				server.restart();
				mark.event(accepting.await(FAILOVER_TIMEOUT));
			}
		});
	}

	/**
	 * Standalone server frozen (SIGSTOP: its kernel still accepts and acknowledges, nothing answers) for 5 s, then
	 * thawed. The event is the thaw, seen as the reply to a {@code PING} sent while it was frozen.
	 */
	private Setup standaloneFrozen(RedisLab lab) {
		RedisServer server = lab.startServer();
		return new Setup(Variant.Target.fixed("standalone", server.address()), (key) -> server.address(), (mark) -> {
			mark.fault();
			server.freeze();
			// The PING waits in the frozen server's socket and is answered in the thawed server's first event-loop pass.
			try (HealWatch answering = HealWatch.start("thaw", STANDALONE_FREEZE.plus(FAILOVER_TIMEOUT),
					(redis) -> "PONG".equals(redis.call(server.address(), "PING")))) {
				Thread.sleep(STANDALONE_FREEZE.toMillis());
				server.thaw();
				mark.event(answering.await(FAILOVER_TIMEOUT));
			}
		});
	}

	/**
	 * The connections to a standalone server go silent without RST (a host that vanished and was replaced behind the
	 * same address, or a lost NAT entry) while new connections work: the event is the silence itself.
	 */
	private Setup standaloneSilentConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy host = lab.startProxy("127.0.0.2", server.address());
		return new Setup(Variant.Target.fixed("standalone", host.address()), (key) -> server.address(), (mark) -> {
			mark.fault();
			host.silenceConnections();
			mark.event();
		});
	}

	/**
	 * A balancer in front of two proxies of one database; every variant's connection goes through proxy A, which
	 * is then killed (refuse + close) or black-holed for 15 s (it keeps accepting, so a balancer's TCP health check
	 * still passes, but forwards and answers nothing) and then restored. Proxy B serves throughout, so the event is
	 * the fault itself; during a black hole the report adds the share of the paced rate completed while it lasted.
	 * With no fault, the same 15 s window shows the share each API reaches through these proxies when nothing fails:
	 * the ceiling for the black hole's.
	 */
	private Setup loadBalancer(RedisLab lab, BalancerFault fault) {
		RedisServer database = lab.startServer();
		TcpProxy proxyA = lab.startProxy("127.0.0.2", database.address());
		TcpProxy proxyB = lab.startProxy("127.0.0.3", database.address());
		TcpProxy balancer = lab.startProxy(proxyA.address(), proxyB.address());
		proxyB.refuseNewConnections(true);
		return new Setup(Variant.Target.fixed("load-balancer", balancer.address()), (key) -> database.address(),
				(mark) -> {
					proxyB.refuseNewConnections(false);
					mark.fault();
					switch (fault) {
						case KILL -> {
							proxyA.refuseNewConnections(true);
							proxyA.killConnections();
							mark.event();
						}
						case BLACKHOLE, NONE -> {
							proxyA.blackhole(fault == BalancerFault.BLACKHOLE);
							long from = mark.event();
							Thread.sleep(BLACKHOLE.toMillis());
							mark.window(from, System.nanoTime());
							proxyA.blackhole(false);
						}
					}
				});
	}

	/** What happens to the cluster's first master. */
	private enum ClusterFault {

		/** The master is killed with -9. */
		KILL,

		/** Its replica takes over by {@code CLUSTER FAILOVER}. */
		MANUAL_FAILOVER,

		/** The master hangs (SIGSTOP) until 3 s after its replica's promotion. */
		FREEZE

	}

	/** What happens to the balancer's first backend. */
	private enum BalancerFault {

		/** Refuses new connections and closes its current ones. */
		KILL,

		/** Accepts, forwards and answers nothing for 15 s. */
		BLACKHOLE,

		/** Nothing: the 15 s window measures the paced rate without a fault. */
		NONE

	}

	/**
	 * A master with two replicas and three Sentinels; the master is killed with -9, or SENTINEL FAILOVER moves it
	 * while the old master stays alive. The event is the new master being announced: the first reply of any Sentinel
	 * to {@code SENTINEL GET-MASTER-ADDR-BY-NAME} that names another master (see {@link #announcement}).
	 */
	private Setup sentinel(RedisLab lab, boolean ordered) {
		SentinelGroup group = lab.startSentinelGroup("bench", 2);
		return new Setup(Variant.Target.sentinel(group.masterName(), group.sentinelAddresses()),
				(key) -> group.master().address(), (mark) -> {
					RedisServer master = group.master();
					try (HealWatch announced = announcement(group, master)) {
						mark.fault();
						if (ordered) {
							group.failover();
						}
						else {
							group.killMaster();
						}
						group.awaitNewMaster(master, FAILOVER_TIMEOUT);
						mark.event(announced.await(FAILOVER_TIMEOUT));
					}
				});
	}

	/**
	 * The master hangs (SIGSTOP: its kernel still accepts and acknowledges, nothing answers, nothing is closed),
	 * Sentinel promotes a replica, and 3 s after the announcement the old master is thawed: it still believes it is
	 * master until the Sentinels turn it into a replica, and any write it takes then is lost. The event is the new
	 * master being announced, as in {@link #sentinel}.
	 */
	private Setup sentinelFrozenMaster(RedisLab lab) {
		SentinelGroup group = lab.startSentinelGroup("bench", 2);
		return new Setup(Variant.Target.sentinel(group.masterName(), group.sentinelAddresses()),
				(key) -> group.master().address(), (mark) -> {
					RedisServer master = group.master();
					try (HealWatch announced = announcement(group, master)) {
						mark.fault();
						master.freeze();
						group.awaitNewMaster(master, FAILOVER_TIMEOUT);
						long event = announced.await(FAILOVER_TIMEOUT);
						mark.event(event);
						long thawAt = event + THAW_AFTER_ANNOUNCEMENT.toNanos();
						Thread.sleep(Math.max(0, Duration.ofNanos(thawAt - System.nanoTime()).toMillis()));
						master.thaw();
					}
				});
	}

	/**
	 * Watches every Sentinel for a master other than {@code previous}. The leader answers
	 * {@code GET-MASTER-ADDR-BY-NAME} with the promoted replica as soon as that replica reports itself master, before
	 * it publishes {@code +switch-master}; the other Sentinels follow at their next hello (up to 2 s), which is when
	 * {@link SentinelGroup#awaitNewMaster} returns.
	 */
	private static HealWatch announcement(SentinelGroup group, RedisServer previous) {
		List<InetSocketAddress> sentinels = group.sentinels().stream().map(RedisServer::address).toList();
		return HealWatch.start("announcement", PROBE_TIMEOUT, (redis) -> {
			for (InetSocketAddress sentinel : sentinels) {
				if (redis.call(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", group.masterName()) instanceof List<?> a
						&& a.size() == 2 && !previous.announcedHostAndPort().equals(a.get(0) + ":" + a.get(1))) {
					return true;
				}
			}
			return false;
		});
	}

	/**
	 * Redis Enterprise style: three proxies (one per record) in front of one database. Warm-up traffic uses the
	 * only record, 127.0.0.11; then the record set lists all three and the first proxy dies.
	 */
	private Setup dnsProxyKill(RedisLab lab) {
		DnsLab dns = DnsLab.start(lab);
		return new Setup(dns.target(), (key) -> dns.database().address(), (mark) -> {
			dns.server().setRecords(DnsLab.HOSTNAME, DnsLab.TTL, DnsLab.IPS);
			mark.fault();
			dns.proxies().get(0).refuseNewConnections(true);
			dns.proxies().get(0).killConnections();
			mark.event();
		});
	}

	/**
	 * The record moves from 127.0.0.11 to 127.0.0.12 while the old proxy still answers; 3 s later the old proxy
	 * dies. The event is its death: an application that followed the record sees nothing.
	 */
	private Setup dnsRecordChange(RedisLab lab) {
		DnsLab dns = DnsLab.start(lab);
		return new Setup(dns.target(), (key) -> dns.database().address(), (mark) -> {
			dns.server().setRecords(DnsLab.HOSTNAME, DnsLab.TTL, DnsLab.IPS[1]);
			mark.fault();
			Thread.sleep(3000);
			dns.proxies().get(0).refuseNewConnections(true);
			dns.proxies().get(0).killConnections();
			mark.event();
		});
	}

	/**
	 * Three masters with a replica each; a master is killed with -9, its replica takes over by CLUSTER FAILOVER, or
	 * the master hangs (SIGSTOP, as in {@link #sentinelFrozenMaster}) and its replica takes over once the other
	 * masters mark it failed (the lab's {@code cluster-node-timeout} is 1 s), the old master being thawed 3 s after
	 * the promotion, to become a replica of the new one. The event is the promotion: the first {@code ROLE} reply of
	 * the replica that says {@code master} (it serves the slots from then on and tells the other nodes). The lab's own
	 * wait, for every node to agree on a healthy slot map, returns later.
	 */
	private Setup cluster(RedisLab lab, ClusterFault fault) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		return new Setup(Variant.Target.cluster(cluster.seedAddresses()),
				(key) -> cluster.masterForSlot(RedisClusterLab.slotFor(key)).address(), (mark) -> {
					RedisServer master = cluster.masters().get(0);
					RedisServer replica = cluster.replicasOf(master).get(0);
					try (HealWatch promoted = HealWatch.start("promotion", PROBE_TIMEOUT,
							(redis) -> redis.call(replica.address(), "ROLE") instanceof List<?> role && !role.isEmpty()
									&& "master".equals(role.get(0)))) {
						mark.fault();
						switch (fault) {
							case KILL -> {
								cluster.killMaster(master);
								cluster.awaitPromotion(master, FAILOVER_TIMEOUT);
								mark.event(promoted.await(FAILOVER_TIMEOUT));
							}
							case MANUAL_FAILOVER -> {
								cluster.manualFailover(replica);
								mark.event(promoted.await(FAILOVER_TIMEOUT));
							}
							case FREEZE -> {
								master.freeze();
								long event = promoted.await(FAILOVER_TIMEOUT);
								mark.event(event);
								long thawAt = event + THAW_AFTER_ANNOUNCEMENT.toNanos();
								Thread.sleep(Math.max(0, Duration.ofNanos(thawAt - System.nanoTime()).toMillis()));
								master.thaw();
								cluster.awaitClusterOk(FAILOVER_TIMEOUT);
							}
						}
					}
				});
	}

	/**
	 * Each node of a cluster is dialed through a proxy of its own (Redis Enterprise's OSS Cluster API has one per
	 * node); the connections through the first master's proxy go silent without RST while new ones work, as in
	 * {@link #standaloneSilentConnection}. The event is the silence itself.
	 */
	private Setup clusterSilentConnection(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		Map<String, String> addressMap = new LinkedHashMap<>();
		Map<RedisServer, TcpProxy> proxies = new LinkedHashMap<>();
		for (RedisServer node : cluster.nodes()) {
			TcpProxy proxy = lab.startProxy("127.0.0.2", node.address());
			proxies.put(node, proxy);
			addressMap.put(cluster.announcedHostAndPort(node), proxy.hostAndPort());
		}
		return new Setup(Variant.Target.cluster(cluster.seedAddresses(), addressMap),
				(key) -> cluster.masterForSlot(RedisClusterLab.slotFor(key)).address(), (mark) -> {
					mark.fault();
					proxies.get(cluster.masters().get(0)).silenceConnections();
					mark.event();
				});
	}

	/**
	 * 512 slots and their keys move from the first master to the second while the workload writes (MIGRATING and
	 * IMPORTING, ASK, then MOVED). The event is the end of the move.
	 */
	private Setup clusterReshard(RedisLab lab) {
		RedisClusterLab cluster = lab.startCluster(3, 1);
		return new Setup(Variant.Target.cluster(cluster.seedAddresses()),
				(key) -> cluster.masterForSlot(RedisClusterLab.slotFor(key)).address(), (mark) -> {
					RedisServer source = cluster.masters().get(0);
					int[] range = ClusterSlots.servedBy(source).get(0);
					mark.fault();
					cluster.moveSlots(range[0], Math.min(range[1], range[0] + 511), cluster.masters().get(1));
					mark.event();
				});
	}

	/**
	 * A lab DNS server, one database and a proxy per address, all proxies on one port.
	 *
	 * @param server the DNS server
	 * @param database the database
	 * @param proxies the proxies on 127.0.0.11, .12 and .13
	 */
	record DnsLab(LabDnsServer server, RedisServer database, List<TcpProxy> proxies) {

		static final String HOSTNAME = "db.lab.test";

		static final Duration TTL = Duration.ofSeconds(1);

		static final String[] IPS = { "127.0.0.11", "127.0.0.12", "127.0.0.13" };

		static DnsLab start(RedisLab lab) {
			RedisServer database = lab.startServer();
			int port = FreePorts.pickOnAll(List.of(IPS));
			List<TcpProxy> proxies = Stream.of(IPS).map((ip) -> lab.startProxy(ip, port, database.address())).toList();
			LabDnsServer server = lab.startDnsServer();
			server.setRecords(HOSTNAME, TTL, IPS[0]);
			return new DnsLab(server, database, proxies);
		}

		Variant.Target target() {
			return Variant.Target.dns(HOSTNAME, this.proxies.get(0).port(), this.server.address());
		}

	}

	/**
	 * What a scenario starts and how it injects its fault.
	 *
	 * @param target where the applications connect
	 * @param database the server that holds a key, for verification
	 * @param fault the fault injection
	 */
	record Setup(Variant.Target target, Function<String, InetSocketAddress> database, Fault fault) {

		List<Result> measure(String scenario, Api api, int run, List<Variant> variants) throws Exception {
			List<ConfigurableApplicationContext> contexts = new ArrayList<>();
			List<FixedRateWorkload> workloads = new ArrayList<>();
			try {
				for (Variant variant : variants) {
					ConfigurableApplicationContext context = variant.start(this.target);
					contexts.add(context);
					FixedRateWorkload workload = new FixedRateWorkload(api, context,
							scenario + ":" + api.name() + ":" + variant.name());
					workloads.add(workload);
					workload.start(THREADS);
				}
				Thread.sleep(WARM_UP.toMillis());
				this.fault.inject(new Marks(workloads));
				Thread.sleep(SETTLE.toMillis());
				workloads.forEach(FixedRateWorkload::stop);
				for (FixedRateWorkload workload : workloads) {
					workload.awaitStopped();
				}
				List<Result> results = new ArrayList<>();
				for (int i = 0; i < workloads.size(); i++) {
					results.add(Result.of(scenario, api, run, variants.get(i), workloads.get(i), this.database));
				}
				return results;
			}
			finally {
				contexts.forEach(ConfigurableApplicationContext::close);
			}
		}

	}

	/**
	 * Marks fault and event times on every workload.
	 *
	 * @param workloads the workloads
	 */
	record Marks(List<FixedRateWorkload> workloads) {

		void fault() {
			this.workloads.forEach(FixedRateWorkload::markFault);
		}

		/**
		 * Marks the event now.
		 * @return the event time, a {@link System#nanoTime()}
		 */
		long event() {
			long now = System.nanoTime();
			event(now);
			return now;
		}

		/**
		 * Marks an event seen earlier.
		 * @param nanoTime when it happened
		 */
		void event(long nanoTime) {
			this.workloads.forEach((workload) -> workload.markEvent(nanoTime));
		}

		/**
		 * Marks the window whose share of the paced rate is reported.
		 * @param from its start, a {@link System#nanoTime()}
		 * @param to its end
		 */
		void window(long from, long to) {
			this.workloads.forEach((workload) -> workload.markWindow(from, to));
		}

	}

	@FunctionalInterface
	interface Fault {

		void inject(Marks marks) throws Exception;

	}

	@FunctionalInterface
	interface Scenario {

		Setup run(RedisLab lab) throws Exception;

	}

	/**
	 * What one variant saw in one scenario.
	 *
	 * @param scenario the scenario
	 * @param api the API the writes went through
	 * @param run which run of the scenario and API, from 1
	 * @param variant the variant
	 * @param firstWriteAfterEventMillis time from the event to the first successful write: started after the event,
	 * acknowledged, and kept by the database (readable afterwards; Pub/Sub: delivered), {@code null} if none. A write
	 * that a demoted master acknowledges and then discards is not a success.
	 * @param firstAcknowledgedWriteAfterEventMillis time from the event to the first acknowledged write, kept or not
	 * @param errors errors on SET/GET seen by the application
	 * @param incrementErrors INCRs that failed with an unknown outcome
	 * @param longestStallMillis the longest time without a successful write
	 * @param acknowledgedWrites writes acknowledged to the application
	 * @param lostWrites acknowledged writes not readable afterwards (Pub/Sub: acknowledged, never delivered)
	 * @param duplicateIncrements counter increments beyond acknowledged plus unknown-outcome INCRs
	 */
	record Result(String scenario, Api api, int run, Variant variant, @Nullable Long firstWriteAfterEventMillis,
			@Nullable Long firstAcknowledgedWriteAfterEventMillis, long errors, long incrementErrors,
			long longestStallMillis, long acknowledgedWrites, long lostWrites, long duplicateIncrements,
			@Nullable Double pacedShare) {

		static Result of(String scenario, Api api, int run, Variant variant, FixedRateWorkload workload,
				Function<String, InetSocketAddress> database) {
			Function<String, @Nullable Object> stored = api.succeedsOnDelivery() ? workload.delivered::get
					: (key) -> get(database, key);
			Set<String> lost = new HashSet<>();
			for (Map.Entry<String, String> write : workload.acknowledged.entrySet()) {
				if (!write.getValue().equals(stored.apply(write.getKey()))) {
					lost.add(write.getKey());
				}
			}
			Object value = get(database, workload.counterKey());
			long counter = (value != null) ? Long.parseLong(value.toString()) : 0;
			long duplicates = Math.max(0,
					counter - workload.acknowledgedIncrements.get() - workload.incrementErrors.get());
			return new Result(scenario, api, run, variant,
					millis(workload.firstWriteAfterEvent((key) -> !lost.contains(key))),
					millis(workload.firstWriteAfterEvent((key) -> true)), workload.errors.get(),
					workload.incrementErrors.get(), workload.longestStall().toMillis(), workload.acknowledged.size(),
					lost.size(), duplicates, workload.pacedShareInWindow());
		}

		private static @Nullable Long millis(@Nullable Duration duration) {
			return (duration != null) ? duration.toMillis() : null;
		}

		private static @Nullable Object get(Function<String, InetSocketAddress> database, String key) {
			return RespClient.call(database.apply(key), Duration.ofSeconds(5), "GET", key);
		}

	}

}
