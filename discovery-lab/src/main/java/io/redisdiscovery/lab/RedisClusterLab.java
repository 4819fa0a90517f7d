package io.redisdiscovery.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.redisdiscovery.lab.internal.Await;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster on loopback, created from Java (no redis-cli), with failover and resharding controls.
 */
public final class RedisClusterLab implements AutoCloseable {

	/** Number of hash slots in a Redis Cluster. */
	public static final int SLOTS = 16384;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(15);

	private static final int ADDSLOTS_BATCH = 1000;

	private static final int MIGRATE_BATCH = 100;

	private static final Logger logger = LoggerFactory.getLogger(RedisClusterLab.class);

	private final RedisLab lab;

	private final RedisClusterOptions options;

	private final List<RedisServer> nodes;

	private final Map<RedisServer, String> ids;

	private final Map<RedisServer, InetSocketAddress> announcedAddresses;

	private final @Nullable String password;

	/** The last topology every live node agreed on; tells awaitPromotion which slots and replicas a dead master had. */
	private volatile ClusterNodesTable lastAgreed;

	private RedisClusterLab(RedisLab lab, RedisClusterOptions options, List<RedisServer> nodes,
			Map<RedisServer, String> ids, Map<RedisServer, InetSocketAddress> announcedAddresses,
			@Nullable String password) {
		this.lab = lab;
		this.options = options;
		this.nodes = new CopyOnWriteArrayList<>(nodes);
		this.ids = Collections.synchronizedMap(ids);
		this.announcedAddresses = announcedAddresses;
		this.password = password;
		this.lastAgreed = new ClusterNodesTable(List.of());
	}

	static RedisClusterLab start(RedisLab lab, int masters, int replicasPerMaster, RedisClusterOptions options) {
		if (masters < 1 || replicasPerMaster < 0) {
			throw new IllegalArgumentException("A cluster needs at least one master and a non-negative replica count");
		}
		long started = System.nanoTime();
		int total = masters * (1 + replicasPerMaster);
		Map<Integer, InetSocketAddress> announcedByIndex = new ConcurrentHashMap<>();
		List<NodeSpec> specs = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			specs.add(nodeSpec(lab, i, options, announcedByIndex));
		}
		List<RedisServer> nodes = lab.launch(specs);
		Map<RedisServer, String> ids = new IdentityHashMap<>();
		Map<RedisServer, InetSocketAddress> announced = new IdentityHashMap<>();
		for (int i = 0; i < total; i++) {
			RedisServer node = nodes.get(i);
			ids.put(node, String.valueOf(node.command("CLUSTER", "MYID")));
			InetSocketAddress address = announcedByIndex.get(i);
			if (address != null) {
				announced.put(node, address);
			}
		}
		RedisClusterLab cluster = new RedisClusterLab(lab, options, nodes, ids, announced, options.password());
		cluster.create(lab.binary(), masters, replicasPerMaster);
		logger.info("Redis cluster of {} master(s) x {} replica(s) ready in {} ms: {}", masters, replicasPerMaster,
				(System.nanoTime() - started) / 1_000_000, cluster.seedAddresses());
		return cluster;
	}

	/**
	 * Every node of the cluster, alive or not, in creation order (initial masters first); removed nodes are left out.
	 */
	public List<RedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * Starts a new node, joins it to the cluster with CLUSTER MEET as a master without slots (move slots to it
	 * with {@link #moveSlots}), and waits until every node knows it and the cluster is healthy.
	 */
	public synchronized RedisServer addMaster() {
		RedisServer member = this.nodes.stream()
			.filter(RedisServer::isAlive)
			.findFirst()
			.orElseThrow(() -> new RedisLabException("No node of " + this + " is alive"));
		RedisServer node = this.lab
			.launch(List.of(nodeSpec(this.lab, this.nodes.size(), this.options, new ConcurrentHashMap<>())))
			.get(0);
		this.ids.put(node, String.valueOf(node.command("CLUSTER", "MYID")));
		this.nodes.add(node);
		node.command("CLUSTER", "MEET", member.host(), String.valueOf(member.announcedPort()));
		awaitClusterOk(STEP_TIMEOUT);
		logger.debug("Added {} to the cluster", node);
		return node;
	}

	/**
	 * Removes a node that serves no slots: kills it, makes every other node CLUSTER FORGET it, and waits until none
	 * lists it and the cluster is healthy.
	 */
	public synchronized void removeNode(RedisServer node) {
		String id = nodeId(node);
		ClusterNodesTable.Entry entry = currentView().byId(id);
		if (entry != null && !entry.slots().isEmpty()) {
			throw new RedisLabException(node + " still serves slots: move them to another master first");
		}
		node.kill();
		this.nodes.remove(node);
		List<RedisServer> live = this.nodes.stream().filter(RedisServer::isAlive).toList();
		live.forEach((other) -> other.command("CLUSTER", "FORGET", id));
		Await.until(node + " to be forgotten", STEP_TIMEOUT, () -> {
			for (RedisServer other : live) {
				if (ClusterNodesTable.parse(String.valueOf(other.command("CLUSTER", "NODES"))).byId(id) != null) {
					throw Await.notYet(other + " still lists " + node);
				}
			}
			return Boolean.TRUE;
		});
		awaitClusterOk(STEP_TIMEOUT);
	}

	/**
	 * The current masters according to {@code CLUSTER NODES} (live, not flagged as failing), sorted by first slot.
	 */
	public List<RedisServer> masters() {
		ClusterNodesTable view = currentView();
		return view.entries()
			.stream()
			.filter((entry) -> entry.isMaster() && !entry.isFailing())
			.sorted(Comparator.comparingInt((ClusterNodesTable.Entry entry) -> entry.slots().isEmpty() ? SLOTS
					: entry.slots().get(0)[0]))
			.flatMap((entry) -> liveNode(entry.id()))
			.toList();
	}

	/**
	 * The current live replicas of {@code master} according to {@code CLUSTER NODES}.
	 */
	public List<RedisServer> replicasOf(RedisServer master) {
		String masterId = nodeId(master);
		return currentView().entries()
			.stream()
			.filter((entry) -> entry.isReplicaOf(masterId) && !entry.isFailing())
			.flatMap((entry) -> liveNode(entry.id()))
			.toList();
	}

	/**
	 * Every node as {@code host:port} for a client's seed list (the announced address when nodes announce one).
	 */
	public List<String> seedAddresses() {
		return this.nodes.stream().map(this::announcedHostAndPort).toList();
	}

	/**
	 * The address {@code node} announces to clients, as {@code host:port}.
	 */
	public String announcedHostAndPort(RedisServer node) {
		InetSocketAddress announced = this.announcedAddresses.get(node);
		return (announced != null) ? announced.getHostString() + ":" + announced.getPort()
				: node.announcedHostAndPort();
	}

	/**
	 * The cluster node id of {@code node}.
	 */
	public String nodeId(RedisServer node) {
		String id = this.ids.get(node);
		if (id == null) {
			throw new RedisLabException(node + " is not a node of this cluster");
		}
		return id;
	}

	/**
	 * The node currently serving {@code slot}, according to a live node's {@code CLUSTER NODES}.
	 */
	public RedisServer masterForSlot(int slot) {
		checkSlot(slot);
		ClusterNodesTable.Entry owner = currentView().ownerOf(slot);
		if (owner == null) {
			throw new RedisLabException("No node serves slot " + slot);
		}
		return requireNodeById(owner.id());
	}

	/**
	 * Kills {@code master} with SIGKILL and returns it; remembers its slots and replicas for {@link #awaitPromotion}.
	 */
	public RedisServer killMaster(RedisServer master) {
		ClusterNodesTable view = currentView();
		ClusterNodesTable.Entry entry = view.byId(nodeId(master));
		if (entry == null || !entry.isMaster()) {
			throw new RedisLabException(master + " is not a master");
		}
		this.lastAgreed = view;
		master.kill();
		return master;
	}

	/**
	 * Waits until a former replica of {@code failedMaster} serves its slots and reports ROLE master, and every live
	 * node reports {@code cluster_state:ok} and agrees on the slot map; returns the promoted node.
	 */
	public RedisServer awaitPromotion(RedisServer failedMaster, Duration timeout) {
		String failedId = nodeId(failedMaster);
		ClusterNodesTable.Entry before = this.lastAgreed.byId(failedId);
		if (before == null || before.slots().isEmpty()) {
			throw new RedisLabException(failedMaster + " served no slots in the last known topology");
		}
		Set<String> formerReplicas = this.lastAgreed.entries()
			.stream()
			.filter((entry) -> entry.isReplicaOf(failedId))
			.map(ClusterNodesTable.Entry::id)
			.collect(Collectors.toSet());
		int slot = before.slots().get(0)[0];
		return Await.until("a replica of " + failedMaster + " to take over slot " + slot, timeout, () -> {
			ClusterNodesTable view = checkHealthy();
			ClusterNodesTable.Entry owner = Objects.requireNonNull(view.ownerOf(slot));
			if (owner.id().equals(failedId)) {
				throw Await.notYet("slot " + slot + " is still served by " + failedMaster);
			}
			RedisServer promoted = requireNodeById(owner.id());
			if (!formerReplicas.isEmpty() && !formerReplicas.contains(owner.id())) {
				throw Await.notYet("slot " + slot + " is served by " + promoted + ", not a former replica");
			}
			if (!"master".equals(promoted.role())) {
				throw Await.notYet(promoted + " serves slot " + slot + " but its ROLE is " + promoted.role());
			}
			this.lastAgreed = view;
			return promoted;
		});
	}

	/**
	 * Runs {@code CLUSTER FAILOVER} on {@code replica} and waits until it serves its master's slots, the old master has
	 * become its replica, and the cluster is healthy again.
	 */
	public void manualFailover(RedisServer replica) {
		ClusterNodesTable view = currentView();
		ClusterNodesTable.Entry self = view.byId(nodeId(replica));
		if (self == null || !self.isReplica() || self.masterId() == null) {
			throw new RedisLabException(replica + " is not a replica");
		}
		String masterId = Objects.requireNonNull(self.masterId());
		RedisServer oldMaster = requireNodeById(masterId);
		ClusterNodesTable.Entry masterEntry = Objects.requireNonNull(view.byId(masterId));
		replica.command("CLUSTER", "FAILOVER");
		Await.until("manual failover from " + oldMaster + " to " + replica, STEP_TIMEOUT, () -> {
			if (!"master".equals(replica.role())) {
				throw Await.notYet(replica + " is not master yet");
			}
			if (oldMaster.isAlive() && !"slave".equals(oldMaster.role())) {
				throw Await.notYet(oldMaster + " has not become a replica yet");
			}
			ClusterNodesTable healthy = checkHealthy();
			for (int[] range : masterEntry.slots()) {
				ClusterNodesTable.Entry owner = Objects.requireNonNull(healthy.ownerOf(range[0]));
				if (!owner.id().equals(nodeId(replica))) {
					throw Await.notYet("slot " + range[0] + " is still served by " + nodeById(owner.id()));
				}
			}
			this.lastAgreed = healthy;
			return Boolean.TRUE;
		});
	}

	/**
	 * Moves slots {@code fromSlot..toSlot} (inclusive) and their keys to {@code target}, the way {@code redis-cli
	 * --cluster reshard} does: SETSLOT IMPORTING/MIGRATING, MIGRATE in batches, then SETSLOT NODE on every master.
	 */
	public void moveSlots(int fromSlot, int toSlot, RedisServer target) {
		checkSlot(fromSlot);
		checkSlot(toSlot);
		if (fromSlot > toSlot) {
			throw new IllegalArgumentException("fromSlot " + fromSlot + " is after toSlot " + toSlot);
		}
		String targetId = nodeId(target);
		ClusterNodesTable view = currentView();
		ClusterNodesTable.Entry targetEntry = view.byId(targetId);
		if (targetEntry == null || !targetEntry.isMaster()) {
			throw new RedisLabException(target + " is not a master");
		}
		List<RedisServer> masters = masters();
		Map<RedisServer, RespClient> connections = new HashMap<>();
		try {
			int moved = 0;
			for (int slot = fromSlot; slot <= toSlot; slot++) {
				ClusterNodesTable.Entry owner = view.ownerOf(slot);
				if (owner == null) {
					throw new RedisLabException("No node serves slot " + slot);
				}
				if (owner.id().equals(targetId)) {
					continue;
				}
				RedisServer source = requireNodeById(owner.id());
				moveSlot(slot, source, owner.id(), target, targetId, masters, connections);
				moved++;
			}
			logger.debug("Moved {} slot(s) in {}..{} to {}", moved, fromSlot, toSlot, target);
		}
		finally {
			connections.values().forEach(RespClient::close);
		}
		awaitClusterOk(STEP_TIMEOUT);
	}

	/**
	 * Waits until every live node reports {@code cluster_state:ok}, all live nodes agree on slot owners and roles,
	 * every slot is served by a live node, and every live replica's link to its master is up.
	 */
	public void awaitClusterOk(Duration timeout) {
		this.lastAgreed = Await.until("the cluster to be healthy", timeout, this::checkHealthy);
	}

	/**
	 * The hash slot of {@code key}: CRC16 (XMODEM) of the key, or of its {@code {hash tag}}, modulo 16384.
	 */
	public static int slotFor(String key) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		int start = 0;
		int end = bytes.length;
		int open = indexOf(bytes, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(bytes, (byte) '}', open + 1);
			if (close > open + 1) {
				start = open + 1;
				end = close;
			}
		}
		return crc16(bytes, start, end) & (SLOTS - 1);
	}

	/**
	 * Kills every node of the cluster.
	 */
	@Override
	public void close() {
		this.nodes.forEach(RedisServer::kill);
	}

	@Override
	public String toString() {
		return "RedisClusterLab" + seedAddresses();
	}

	private void create(RedisBinary binary, int masters, int replicasPerMaster) {
		// Distinct config epochs up front, as redis-cli does, so the nodes need not resolve epoch collisions.
		for (int i = 0; i < this.nodes.size(); i++) {
			this.nodes.get(i).command("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
		}
		RedisServer first = this.nodes.get(0);
		for (RedisServer node : this.nodes.subList(1, this.nodes.size())) {
			first.command("CLUSTER", "MEET", node.host(), String.valueOf(node.announcedPort()));
		}
		for (int m = 0; m < masters; m++) {
			assignSlots(binary, this.nodes.get(m), m * SLOTS / masters, (m + 1) * SLOTS / masters - 1);
		}
		for (int m = 0; m < masters; m++) {
			String masterId = nodeId(this.nodes.get(m));
			for (int r = 0; r < replicasPerMaster; r++) {
				RedisServer replica = this.nodes.get(masters + m * replicasPerMaster + r);
				// REPLICATE fails with "Unknown node" until gossip has told the replica about its master.
				Await.until(replica + " to learn about master " + masterId, START_TIMEOUT, () -> {
					if (ClusterNodesTable.parse(String.valueOf(replica.command("CLUSTER", "NODES")))
						.byId(masterId) == null) {
						throw Await.notYet(replica + " does not know " + masterId + " yet");
					}
					return Boolean.TRUE;
				});
				replica.command("CLUSTER", "REPLICATE", masterId);
			}
		}
		awaitClusterOk(START_TIMEOUT);
	}

	private static void assignSlots(RedisBinary binary, RedisServer master, int first, int last) {
		if (binary.isAtLeast(7, 0)) {
			master.command("CLUSTER", "ADDSLOTSRANGE", String.valueOf(first), String.valueOf(last));
			return;
		}
		// Redis 6.2 has no ADDSLOTSRANGE.
		for (int start = first; start <= last; start += ADDSLOTS_BATCH) {
			int end = Math.min(last, start + ADDSLOTS_BATCH - 1);
			List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = start; slot <= end; slot++) {
				args.add(String.valueOf(slot));
			}
			master.command(args.toArray(String[]::new));
		}
	}

	private void moveSlot(int slot, RedisServer source, String sourceId, RedisServer target, String targetId,
			List<RedisServer> masters, Map<RedisServer, RespClient> connections) {
		String slotText = String.valueOf(slot);
		call(connections, target, "CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId);
		call(connections, source, "CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId);
		while (true) {
			Object reply = call(connections, source, "CLUSTER", "GETKEYSINSLOT", slotText,
					String.valueOf(MIGRATE_BATCH));
			if (!(reply instanceof List<?> keys) || keys.isEmpty()) {
				break;
			}
			List<String> args = new ArrayList<>(List.of("MIGRATE", target.host(), String.valueOf(target.announcedPort()), "",
					"0", String.valueOf(RespClient.DEFAULT_TIMEOUT.toMillis()), "REPLACE"));
			if (this.password != null) {
				args.add("AUTH");
				args.add(this.password);
			}
			args.add("KEYS");
			keys.forEach((key) -> args.add(String.valueOf(key)));
			call(connections, source, args.toArray(String[]::new));
		}
		// Target first, then source, then everyone else: the order redis-cli uses so no node is left without an owner.
		call(connections, target, "CLUSTER", "SETSLOT", slotText, "NODE", targetId);
		setSlotOnSource(connections, source, slotText, targetId);
		for (RedisServer master : masters) {
			if (master != target && master != source) {
				call(connections, master, "CLUSTER", "SETSLOT", slotText, "NODE", targetId);
			}
		}
	}

	/**
	 * A master that loses its last slot turns itself into a replica of the new owner (cluster-allow-replica-migration,
	 * Redis 7.0+) as soon as gossip tells it, which may be before this SETSLOT arrives; redis-cli accepts the refusal
	 * in that case too (redis issue 9223).
	 */
	private void setSlotOnSource(Map<RedisServer, RespClient> connections, RedisServer source, String slotText,
			String targetId) {
		try {
			call(connections, source, "CLUSTER", "SETSLOT", slotText, "NODE", targetId);
		}
		catch (RedisLabException ex) {
			if (!String.valueOf(ex.getMessage()).startsWith("ERR Please use SETSLOT only with masters")) {
				throw ex;
			}
			logger.debug("{} became a replica after losing its last slot {}", source, slotText);
		}
	}

	private @Nullable Object call(Map<RedisServer, RespClient> connections, RedisServer node, String... args) {
		RespClient client = connections.computeIfAbsent(node, (key) -> {
			RespClient connected = RespClient.connect(key.address(), RespClient.DEFAULT_TIMEOUT);
			if (key.password() != null) {
				connected.auth(Objects.requireNonNull(key.password()));
			}
			return connected;
		});
		return client.call(args);
	}

	private ClusterNodesTable checkHealthy() {
		List<RedisServer> live = this.nodes.stream().filter(RedisServer::isAlive).toList();
		if (live.isEmpty()) {
			throw new RedisLabException("No node of " + this + " is alive");
		}
		Set<String> liveIds = live.stream().map(this::nodeId).collect(Collectors.toSet());
		@Nullable ClusterNodesTable reference = null;
		@Nullable Map<String, String> referenceRoles = null;
		for (RedisServer node : live) {
			String state = InfoText.value(String.valueOf(node.command("CLUSTER", "INFO")), "cluster_state");
			if (!"ok".equals(state)) {
				throw Await.notYet(node + " reports cluster_state:" + state);
			}
			ClusterNodesTable view = ClusterNodesTable.parse(String.valueOf(node.command("CLUSTER", "NODES")));
			Map<String, String> roles = new LinkedHashMap<>();
			for (String id : liveIds) {
				ClusterNodesTable.Entry entry = view.byId(id);
				if (entry == null) {
					throw Await.notYet(node + " does not know " + nodeById(id));
				}
				if (entry.isFailing()) {
					throw Await.notYet(node + " flags " + nodeById(id) + " as " + entry.flags());
				}
				roles.put(id, entry.isMaster() ? "master" : "replica of " + entry.masterId());
			}
			int covered = 0;
			for (ClusterNodesTable.Entry entry : view.entries()) {
				if (!entry.slots().isEmpty() && !liveIds.contains(entry.id())) {
					throw Await.notYet(node + " still routes slots to dead node " + nodeById(entry.id()));
				}
				covered += entry.slotCount();
			}
			if (covered != SLOTS) {
				throw Await.notYet(node + " sees " + covered + " of " + SLOTS + " slots served");
			}
			if (reference == null) {
				reference = view;
				referenceRoles = roles;
			}
			else if (!view.slotOwners().equals(reference.slotOwners())) {
				throw Await.notYet(node + " disagrees with " + live.get(0) + " on the slot map");
			}
			else if (!roles.equals(referenceRoles)) {
				throw Await.notYet(node + " disagrees with " + live.get(0) + " on roles: " + roles + " vs "
						+ referenceRoles);
			}
		}
		ClusterNodesTable agreed = Objects.requireNonNull(reference);
		for (RedisServer node : live) {
			ClusterNodesTable.Entry entry = Objects.requireNonNull(agreed.byId(nodeId(node)));
			if (entry.isReplica() && !"up".equals(node.infoValue("replication", "master_link_status"))) {
				throw Await.notYet(node + " is a replica whose master link is not up");
			}
		}
		return agreed;
	}

	private ClusterNodesTable currentView() {
		RedisLabException failure = null;
		for (RedisServer node : this.nodes) {
			if (!node.isAlive()) {
				continue;
			}
			try {
				return ClusterNodesTable.parse(String.valueOf(node.command("CLUSTER", "NODES")));
			}
			catch (RedisLabException ex) {
				failure = ex;
			}
		}
		throw new RedisLabException("No live node of " + this + " answered CLUSTER NODES", failure);
	}

	private @Nullable RedisServer nodeById(String id) {
		for (Map.Entry<RedisServer, String> entry : this.ids.entrySet()) {
			if (entry.getValue().equals(id)) {
				return entry.getKey();
			}
		}
		return null;
	}

	private Stream<RedisServer> liveNode(String id) {
		RedisServer node = nodeById(id);
		return (node != null && node.isAlive()) ? Stream.of(node) : Stream.empty();
	}

	private RedisServer requireNodeById(String id) {
		RedisServer node = nodeById(id);
		if (node == null) {
			throw new RedisLabException("Node " + id + " is not one of the lab's nodes");
		}
		return node;
	}

	private static NodeSpec nodeSpec(RedisLab lab, int index, RedisClusterOptions options,
			Map<Integer, InetSocketAddress> announcedByIndex) {
		String host = RedisServerOptions.DEFAULT_BIND_HOST;
		if (options.tls() != null && options.announcer() != null) {
			throw new IllegalArgumentException("TLS nodes cannot announce other addresses");
		}
		return new NodeSpec(lab.nextName("cluster-node"), host, NodeSpec.Kind.CLUSTER, options.password(),
				options.tls(), (port, dir) -> {
					RedisClusterOptions.Announcer announcer = options.announcer();
					InetSocketAddress announced = (announcer != null)
							? announcer.announce(index, new InetSocketAddress(host, port)) : null;
					List<String> bindHosts = new ArrayList<>(List.of(host));
					if (announced != null && !announced.getHostString().equals(host)
							&& isLoopback(announced.getHostString())) {
						// Peers dial the announced IP at the real bus port, so the node must listen there too.
						bindHosts.add(announced.getHostString());
					}
					List<String> lines = RedisConfig.dataNode(port, bindHosts, dir);
					lines.add("cluster-enabled yes");
					lines.add("cluster-config-file nodes.conf");
					lines.add("cluster-node-timeout 1000");
					if (options.password() != null) {
						String quoted = RedisConfig.quote(Objects.requireNonNull(options.password()));
						lines.add("requirepass " + quoted);
						lines.add("masterauth " + quoted);
					}
					AclUser aclUser = options.aclUser();
					if (aclUser != null) {
						lines.add(aclUser.configLine());
					}
					if (announced != null) {
						lines.add("cluster-announce-ip " + announced.getHostString());
						lines.add("cluster-announce-port " + announced.getPort());
						announcedByIndex.put(index, announced);
					}
					lines.addAll(options.extraConfig());
					return lines;
				});
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static void checkSlot(int slot) {
		if (slot < 0 || slot >= SLOTS) {
			throw new IllegalArgumentException("Slot " + slot + " is outside 0.." + (SLOTS - 1));
		}
	}

	private static int indexOf(byte[] bytes, byte value, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private static int crc16(byte[] bytes, int start, int end) {
		int crc = 0;
		for (int i = start; i < end; i++) {
			crc ^= (bytes[i] & 0xFF) << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? (crc << 1) ^ 0x1021 : crc << 1;
			}
			crc &= 0xFFFF;
		}
		return crc;
	}

}
