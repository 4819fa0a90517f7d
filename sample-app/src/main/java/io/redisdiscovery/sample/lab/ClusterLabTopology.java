package io.redisdiscovery.sample.lab;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;

/**
 * A Redis Cluster of three masters with one replica each.
 */
final class ClusterLabTopology implements LabTopology {

	private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(60);

	private final RedisClusterLab cluster;

	ClusterLabTopology(RedisLab lab) {
		this.cluster = lab.startCluster(3, 1);
	}

	@Override
	public String name() {
		return "cluster";
	}

	@Override
	public Map<String, String> discoveryProperties() {
		return Map.of("redis.discovery.mode", "cluster", "redis.discovery.cluster.nodes",
				String.join(",", this.cluster.seedAddresses()));
	}

	@Override
	public List<LabFault> faults() {
		return List.of(
				new LabFault("kill-cluster-master", "Kill a cluster master",
						"SIGKILL to the master of slot 0; its replica takes over, then the old master restarts as a replica."),
				new LabFault("cluster-failover", "Ordered cluster failover",
						"CLUSTER FAILOVER on the replica of slot 0's master: master and replica swap roles."));
	}

	@Override
	public RedisServer primaryFor(String key) {
		return this.cluster.masterForSlot(RedisClusterLab.slotFor(key));
	}

	@Override
	public void inject(String fault) {
		RedisServer master = this.cluster.masterForSlot(0);
		switch (fault) {
			case "kill-cluster-master" -> {
				this.cluster.killMaster(master);
				this.cluster.awaitPromotion(master, PROMOTION_TIMEOUT);
				master.restart();
			}
			case "cluster-failover" -> this.cluster.manualFailover(this.cluster.replicasOf(master).get(0));
			default -> throw new UnknownFaultException(name(), fault);
		}
	}

}
