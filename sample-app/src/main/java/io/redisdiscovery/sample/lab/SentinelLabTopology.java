package io.redisdiscovery.sample.lab;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.SentinelGroup;

/**
 * A master, two replicas and three Sentinels.
 */
final class SentinelLabTopology implements LabTopology {

	static final String MASTER_NAME = "mymaster";

	private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(60);

	private final SentinelGroup group;

	SentinelLabTopology(RedisLab lab) {
		this.group = lab.startSentinelGroup(MASTER_NAME, 2);
	}

	@Override
	public String name() {
		return "sentinel";
	}

	@Override
	public Map<String, String> discoveryProperties() {
		return Map.of("redis.discovery.mode", "sentinel", "redis.discovery.sentinel.master", MASTER_NAME,
				"redis.discovery.sentinel.nodes", String.join(",", this.group.sentinelAddresses()));
	}

	@Override
	public List<LabFault> faults() {
		return List.of(
				new LabFault("failover", "Ordered failover",
						"SENTINEL FAILOVER: a replica is promoted while the old master is still alive."),
				new LabFault("kill-master", "Kill the master",
						"SIGKILL to the master; Sentinels promote a replica, then the old master restarts as a replica."));
	}

	@Override
	public RedisServer primaryFor(String key) {
		return this.group.master();
	}

	@Override
	public void inject(String fault) {
		switch (fault) {
			case "failover" -> {
				RedisServer previous = this.group.master();
				this.group.failover();
				this.group.awaitNewMaster(previous, PROMOTION_TIMEOUT);
			}
			case "kill-master" -> {
				RedisServer killed = this.group.killMaster();
				this.group.awaitNewMaster(killed, PROMOTION_TIMEOUT);
				killed.restart();
			}
			default -> throw new UnknownFaultException(name(), fault);
		}
	}

}
