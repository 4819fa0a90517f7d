package io.redisdiscovery.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.redisdiscovery.lab.internal.Await;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master, its replicas and three Sentinels monitoring them, all on loopback; {@link #master()} follows failovers.
 */
public final class SentinelGroup implements AutoCloseable {

	/** Sentinels per group: the smallest count that survives losing one and still reaches a quorum of 2. */
	public static final int SENTINELS = 3;

	static final int QUORUM = 2;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long an ordered failover may show no progress before {@link #awaitNewMaster} asks again: the lab's
	 * {@code failover-timeout} (3 s) after which a Sentinel aborts a promotion it did not see, plus a margin.
	 */
	private static final Duration FAILOVER_RETRY_AFTER = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(SentinelGroup.class);

	private final String masterName;

	private final List<RedisServer> dataNodes;

	private final List<RedisServer> sentinels;

	/** The last ordered failover, so that {@link #awaitNewMaster} can ask again when a Sentinel aborted it. */
	private volatile @Nullable OrderedFailover orderedFailover;

	private SentinelGroup(String masterName, List<RedisServer> dataNodes, List<RedisServer> sentinels) {
		this.masterName = masterName;
		this.dataNodes = List.copyOf(dataNodes);
		this.sentinels = List.copyOf(sentinels);
	}

	static SentinelGroup start(RedisLab lab, String masterName, int replicas, SentinelGroupOptions options) {
		if (masterName.isBlank() || masterName.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("Master name must be a non-empty word: '" + masterName + "'");
		}
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must be >= 0");
		}
		long started = System.nanoTime();
		String host = RedisServerOptions.DEFAULT_BIND_HOST;
		@Nullable String dataPassword = options.dataPassword();
		@Nullable LabTls tls = options.tls();
		@Nullable AclUser aclUser = options.dataAclUser();
		RedisServer master = lab.launch(List.of(dataNodeSpec(lab, host, dataPassword, aclUser, tls, null))).get(0);
		List<NodeSpec> replicaSpecs = new ArrayList<>();
		for (int i = 0; i < replicas; i++) {
			replicaSpecs.add(dataNodeSpec(lab, host, dataPassword, aclUser, tls, master));
		}
		List<RedisServer> dataNodes = new ArrayList<>();
		dataNodes.add(master);
		dataNodes.addAll(lab.launch(replicaSpecs));
		// Sentinels learn replicas from their first INFO to the master; with replicas already attached, they see them
		// at once instead of after the next 10 s INFO period.
		awaitReplicationUp(master, dataNodes.subList(1, dataNodes.size()), START_TIMEOUT);
		List<NodeSpec> sentinelSpecs = new ArrayList<>();
		for (int i = 0; i < SENTINELS; i++) {
			sentinelSpecs.add(sentinelSpec(lab, host, masterName, master, options));
		}
		SentinelGroup group = new SentinelGroup(masterName, dataNodes, lab.launch(sentinelSpecs));
		group.awaitSentinelsSeeEverything(START_TIMEOUT);
		logger.info("Sentinel group '{}' ready in {} ms: master {}, replicas {}, sentinels {}", masterName,
				(System.nanoTime() - started) / 1_000_000, master.hostAndPort(),
				group.replicas().stream().map(RedisServer::hostAndPort).toList(), group.sentinelAddresses());
		return group;
	}

	public String masterName() {
		return this.masterName;
	}

	/**
	 * The current master as the Sentinels report it (the majority answer), mapped back to the lab's process.
	 */
	public RedisServer master() {
		Map<String, Long> answers = masterAddressesBySentinel().values()
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
		String majority = answers.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.map(Map.Entry::getKey)
			.orElseThrow(() -> new RedisLabException("No Sentinel of '" + this.masterName + "' answered"));
		return dataNodeAt(majority);
	}

	/**
	 * The live data nodes other than the current master.
	 */
	public List<RedisServer> replicas() {
		RedisServer master = master();
		return this.dataNodes.stream().filter((node) -> node != master && node.isAlive()).toList();
	}

	/**
	 * Every data node of the group (the first one was the initial master), alive or not.
	 */
	public List<RedisServer> dataNodes() {
		return this.dataNodes;
	}

	public List<RedisServer> sentinels() {
		return this.sentinels;
	}

	/**
	 * The Sentinels as {@code 127.0.0.1:port} (their TLS ports in a TLS group), ready for a client's Sentinel
	 * configuration.
	 */
	public List<String> sentinelAddresses() {
		return this.sentinels.stream().map(RedisServer::announcedHostAndPort).toList();
	}

	/**
	 * Asks one Sentinel for an ordered failover ({@code SENTINEL FAILOVER}); use {@link #awaitNewMaster} to wait for
	 * the outcome.
	 * <p>
	 * The old master stays alive; Sentinel turns it into a replica only when its next INFO poll (every 10 s) sees it
	 * still claiming to be master, so {@link #awaitReplicasInSync} right after a failover can take about 10 s.
	 */
	public void failover() {
		RedisServer master = master();
		askForFailover();
		this.orderedFailover = new OrderedFailover(master, System.nanoTime());
	}

	private void askForFailover() {
		RedisServer sentinel = this.sentinels.stream()
			.filter(RedisServer::isAlive)
			.findFirst()
			.orElseThrow(() -> new RedisLabException("No live Sentinel to ask for a failover"));
		sentinel.command("SENTINEL", "FAILOVER", this.masterName);
	}

	/**
	 * Asks again for a failover ordered away from {@code previous} when it made no progress: on a loaded machine a
	 * Sentinel can abort a promotion it did not see within its {@code failover-timeout}, and then nothing else
	 * happens, because the old master is healthy.
	 */
	private void reorderStalledFailover(RedisServer previous) {
		OrderedFailover ordered = this.orderedFailover;
		if (ordered == null || ordered.from() != previous
				|| System.nanoTime() - ordered.askedAtNanos() < FAILOVER_RETRY_AFTER.toNanos()
				|| failoverInProgress()) {
			return;
		}
		logger.warn("The failover of '{}' ordered away from {} made no progress; asking again", this.masterName,
				previous);
		this.orderedFailover = new OrderedFailover(previous, System.nanoTime());
		try {
			askForFailover();
		}
		catch (RedisLabException ex) {
			logger.warn("The Sentinel refused the repeated failover of '{}'; trying later", this.masterName, ex);
		}
	}

	private boolean failoverInProgress() {
		for (RedisServer sentinel : this.sentinels) {
			if (sentinel.isAlive() && String
				.valueOf(flatMap(sentinel.command("SENTINEL", "MASTER", this.masterName)).get("flags"))
				.contains("failover_in_progress")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Kills the current master with SIGKILL and returns it.
	 */
	public RedisServer killMaster() {
		RedisServer master = master();
		master.kill();
		return master;
	}

	/**
	 * Waits until every live Sentinel reports the same master, other than {@code previous}, and that node's ROLE says
	 * master. After {@link #failover()}, asks again if the Sentinels gave the failover up.
	 */
	public RedisServer awaitNewMaster(RedisServer previous, Duration timeout) {
		return Await.until("the Sentinels of '" + this.masterName + "' to promote a master other than " + previous,
				timeout, () -> {
					RedisServer master = agreedMaster();
					if (master == previous) {
						reorderStalledFailover(previous);
						throw Await.notYet("Sentinels still report " + previous);
					}
					String role = master.role();
					if (!"master".equals(role)) {
						throw Await.notYet("Sentinels report " + master + " but its ROLE is " + role);
					}
					return master;
				});
	}

	/**
	 * Waits until every live data node other than the current master replicates from it with
	 * {@code master_link_status:up}; a demoted or restarted old master needs Sentinel's next 10 s INFO poll first.
	 */
	public void awaitReplicasInSync(Duration timeout) {
		Await.until("the replicas of '" + this.masterName + "' to be in sync with the current master", timeout, () -> {
			RedisServer master = agreedMaster();
			List<RedisServer> replicas = this.dataNodes.stream()
				.filter((node) -> node != master && node.isAlive())
				.toList();
			assertReplicating(master, replicas);
			return Boolean.TRUE;
		});
	}

	/**
	 * Kills every process of the group.
	 */
	@Override
	public void close() {
		this.sentinels.forEach(RedisServer::kill);
		this.dataNodes.forEach(RedisServer::kill);
	}

	@Override
	public String toString() {
		return "SentinelGroup[" + this.masterName + ", sentinels " + sentinelAddresses() + "]";
	}

	private RedisServer agreedMaster() {
		Map<RedisServer, String> answers = masterAddressesBySentinel();
		List<String> distinct = answers.values().stream().distinct().toList();
		if (distinct.size() != 1) {
			throw Await.notYet("Sentinels disagree on the master: " + answers);
		}
		return dataNodeAt(distinct.get(0));
	}

	private Map<RedisServer, String> masterAddressesBySentinel() {
		Map<RedisServer, String> answers = new LinkedHashMap<>();
		for (RedisServer sentinel : this.sentinels) {
			if (!sentinel.isAlive()) {
				continue;
			}
			try {
				if (sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName) instanceof List<?> reply
						&& reply.size() == 2) {
					answers.put(sentinel, reply.get(0) + ":" + reply.get(1));
				}
			}
			catch (RedisLabException ex) {
				logger.debug("{} did not answer GET-MASTER-ADDR-BY-NAME", sentinel, ex);
			}
		}
		if (answers.isEmpty()) {
			throw new RedisLabException("No Sentinel of '" + this.masterName + "' reported a master");
		}
		return answers;
	}

	private RedisServer dataNodeAt(String hostAndPort) {
		for (RedisServer node : this.dataNodes) {
			if (node.announcedHostAndPort().equals(hostAndPort)) {
				return node;
			}
		}
		throw new RedisLabException("Sentinels report master " + hostAndPort + ", which is not a node of " + this);
	}

	private void awaitSentinelsSeeEverything(Duration timeout) {
		RedisServer master = this.dataNodes.get(0);
		int replicas = this.dataNodes.size() - 1;
		Await.until("every Sentinel of '" + this.masterName + "' to see the master, " + replicas
				+ " replica(s) and the other Sentinels", timeout, () -> {
					for (RedisServer sentinel : this.sentinels) {
						Map<String, String> state = flatMap(sentinel.command("SENTINEL", "MASTER", this.masterName));
						String expected = "master " + master.announcedPort() + " slaves " + replicas + " others "
								+ (SENTINELS - 1);
						String seen = state.get("flags") + " " + state.get("port") + " slaves "
								+ state.get("num-slaves") + " others " + state.get("num-other-sentinels");
						if (!expected.equals(seen)) {
							throw Await.notYet(sentinel + " sees '" + seen + "', expected '" + expected + "'");
						}
						for (Map<String, String> replica : flatMaps(
								sentinel.command("SENTINEL", "REPLICAS", this.masterName))) {
							if (!"slave".equals(replica.get("flags"))
									|| !"ok".equals(replica.get("master-link-status"))) {
								throw Await.notYet(sentinel + " sees replica " + replica.get("name") + " with flags "
										+ replica.get("flags") + ", link " + replica.get("master-link-status"));
							}
						}
						for (Map<String, String> other : flatMaps(
								sentinel.command("SENTINEL", "SENTINELS", this.masterName))) {
							if (!"sentinel".equals(other.get("flags"))) {
								throw Await.notYet(sentinel + " sees Sentinel " + other.get("name") + " with flags "
										+ other.get("flags"));
							}
						}
					}
					return Boolean.TRUE;
				});
	}

	private static void awaitReplicationUp(RedisServer master, List<RedisServer> replicas, Duration timeout) {
		Await.until("replicas " + replicas + " to sync with " + master, timeout, () -> {
			assertReplicating(master, replicas);
			return Boolean.TRUE;
		});
	}

	private static void assertReplicating(RedisServer master, List<RedisServer> replicas) {
		for (RedisServer replica : replicas) {
			Map<String, String> info = InfoText.parse(replica.info("replication"));
			if (!"slave".equals(info.get("role")) || !String.valueOf(master.announcedPort()).equals(info.get("master_port"))
					|| !"up".equals(info.get("master_link_status"))) {
				throw Await.notYet(replica + " has role " + info.get("role") + ", master_port "
						+ info.get("master_port") + ", master_link_status " + info.get("master_link_status")
						+ " (master is " + master + ")");
			}
		}
	}

	private static NodeSpec dataNodeSpec(RedisLab lab, String host, @Nullable String password,
			@Nullable AclUser aclUser, @Nullable LabTls tls, @Nullable RedisServer master) {
		String name = lab.nextName(master == null ? "master" : "replica");
		return new NodeSpec(name, host, NodeSpec.Kind.DATA, password, tls, (port, dir) -> {
			List<String> lines = RedisConfig.dataNode(port, List.of(host), dir);
			if (password != null) {
				lines.add("requirepass " + RedisConfig.quote(password));
				lines.add("masterauth " + RedisConfig.quote(password));
			}
			if (aclUser != null) {
				lines.add(aclUser.configLine());
			}
			if (master != null) {
				lines.add("replicaof " + master.host() + " " + master.announcedPort());
			}
			return lines;
		});
	}

	private static NodeSpec sentinelSpec(RedisLab lab, String host, String masterName, RedisServer master,
			SentinelGroupOptions options) {
		return new NodeSpec(lab.nextName("sentinel"), host, NodeSpec.Kind.SENTINEL, options.sentinelPassword(),
				options.sentinelTls(), (port, dir) -> {
					List<String> lines = RedisConfig.sentinel(port, List.of(host), dir);
					lines.add("sentinel monitor " + masterName + " " + master.host() + " " + master.announcedPort() + " "
							+ QUORUM);
					lines.add("sentinel down-after-milliseconds " + masterName + " 1000");
					lines.add("sentinel failover-timeout " + masterName + " 3000");
					lines.add("sentinel parallel-syncs " + masterName + " 1");
					String dataPassword = options.dataPassword();
					if (dataPassword != null) {
						lines.add("sentinel auth-pass " + masterName + " " + RedisConfig.quote(dataPassword));
					}
					String sentinelPassword = options.sentinelPassword();
					if (sentinelPassword != null) {
						lines.add("requirepass " + RedisConfig.quote(sentinelPassword));
					}
					AclUser sentinelAclUser = options.sentinelAclUser();
					if (sentinelAclUser != null) {
						lines.add(sentinelAclUser.configLine());
					}
					return lines;
				});
	}

	static Map<String, String> flatMap(@Nullable Object reply) {
		Map<String, String> map = new LinkedHashMap<>();
		if (reply instanceof List<?> items) {
			for (int i = 0; i + 1 < items.size(); i += 2) {
				map.put(String.valueOf(items.get(i)), String.valueOf(items.get(i + 1)));
			}
		}
		return map;
	}

	static List<Map<String, String>> flatMaps(@Nullable Object reply) {
		List<Map<String, String>> maps = new ArrayList<>();
		if (reply instanceof List<?> items) {
			items.forEach((item) -> maps.add(flatMap(item)));
		}
		return maps;
	}

	private record OrderedFailover(RedisServer from, long askedAtNanos) {
	}

}
