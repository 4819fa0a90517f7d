package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.redisdiscovery.topology.RedisNode;

/**
 * What a {@link SentinelTopologySource} watches and how often.
 *
 * @param masterName the master group
 * @param sentinels the Sentinels, all asked at each discovery (in this order where they give no epoch)
 * @param readsFromReplicas whether application reads go to replicas
 * @param checkInterval period of the safety check and of retrying lost subscriptions
 * @param timeout bound on one Sentinel or node request
 * @param refreshMinInterval shortest time between the start of a discovery and the next one a command failure asks
 * for ({@code +switch-master} events never wait for it)
 * @since 0.1.0
 */
public record SentinelSettings(String masterName, List<RedisNode> sentinels, boolean readsFromReplicas,
		Duration checkInterval, Duration timeout, Duration refreshMinInterval) {

	/** The default of {@link #refreshMinInterval()}. */
	public static final Duration DEFAULT_REFRESH_MIN_INTERVAL = Duration.ofSeconds(1);

	public SentinelSettings {
		sentinels = List.copyOf(sentinels);
	}

	/**
	 * Settings with the default {@link #refreshMinInterval()}.
	 * @param masterName the master group
	 * @param sentinels the Sentinels
	 * @param readsFromReplicas whether application reads go to replicas
	 * @param checkInterval period of the safety check
	 * @param timeout bound on one Sentinel or node request
	 */
	public SentinelSettings(String masterName, List<RedisNode> sentinels, boolean readsFromReplicas,
			Duration checkInterval, Duration timeout) {
		this(masterName, sentinels, readsFromReplicas, checkInterval, timeout, DEFAULT_REFRESH_MIN_INTERVAL);
	}

	/**
	 * The host name the application's connections are configured with; it never resolves in DNS ({@code .invalid}),
	 * so only the Sentinel-aware resolver can turn it into an address.
	 * @return the logical host of the master
	 */
	public String logicalMasterHost() {
		return logicalMasterHost(this.masterName);
	}

	/**
	 * The logical host of a master group.
	 * @param masterName the master group
	 * @return a host name under {@code .invalid}
	 */
	public static String logicalMasterHost(String masterName) {
		return masterName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + ".sentinel-master.invalid";
	}

	/**
	 * The logical host of one replica slot of a master group: a stable name that stands for one of the healthy
	 * replicas at each connect.
	 * @param masterName the master group
	 * @param slot the slot number, from 0
	 * @return a host name under the master's logical host
	 */
	public static String logicalReplicaHost(String masterName, int slot) {
		return "replica-" + slot + "." + logicalMasterHost(masterName);
	}

	/**
	 * The replica slot a logical host stands for.
	 * @param host a logical host
	 * @return the slot, or -1 when the host is not a replica slot
	 */
	int replicaSlotOf(String host) {
		String suffix = "." + logicalMasterHost();
		if (!host.startsWith("replica-") || !host.endsWith(suffix)) {
			return -1;
		}
		try {
			return Integer.parseInt(host.substring("replica-".length(), host.length() - suffix.length()));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
