package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Sentinel mode settings ({@code redis.discovery.sentinel.*}).
 *
 * @since 0.1.0
 */
public class SentinelProperties {

	/**
	 * Name of the monitored master group, as in 'sentinel monitor <name> ...'.
	 */
	private @Nullable String master;

	/**
	 * Sentinels (or the Redis Enterprise discovery service, port 8001) as "host:port". All are asked at each
	 * discovery and the master named under the highest config-epoch wins; where they give no epoch, the first in
	 * this order that names a confirmed master.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Login user name of the Sentinels; leave empty for the default user.
	 */
	private @Nullable String username;

	/**
	 * Login password of the Sentinels, separate from the data nodes' password.
	 */
	private @Nullable String password;

	/**
	 * Where reads go: 'master' keeps every command on the master; the replica choices send reads to replicas that
	 * Sentinels report healthy.
	 */
	private ReadFrom readFrom = ReadFrom.MASTER;

	/**
	 * How often the starter asks the Sentinels again whether the node it uses is still the master, in case a
	 * failover event was missed.
	 */
	private Duration checkInterval = Duration.ofSeconds(5);

	/**
	 * Whether startup fails when no Sentinel names a reachable master. Otherwise the application starts, reports
	 * the topology as having no writable endpoint and keeps asking.
	 */
	private boolean failFast;

	private final Refresh refresh = new Refresh();

	private final FailoverHold failoverHold = new FailoverHold();

	private final Wait wait = new Wait();

	public @Nullable String getMaster() {
		return this.master;
	}

	public void setMaster(@Nullable String master) {
		this.master = master;
	}

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public ReadFrom getReadFrom() {
		return this.readFrom;
	}

	public void setReadFrom(ReadFrom readFrom) {
		this.readFrom = readFrom;
	}

	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Refresh getRefresh() {
		return this.refresh;
	}

	public FailoverHold getFailoverHold() {
		return this.failoverHold;
	}

	public Wait getWait() {
		return this.wait;
	}

	/**
	 * Where reads go.
	 */
	public enum ReadFrom {

		/**
		 * Every command goes to the master.
		 */
		MASTER,

		/**
		 * Reads go to a replica when one is healthy, otherwise to the master.
		 */
		REPLICA_PREFERRED,

		/**
		 * Reads go only to replicas; they fail while no replica is healthy.
		 */
		REPLICA,

		/**
		 * Reads go to any node, master included.
		 */
		ANY

	}

	/**
	 * Discoveries that failed commands ask for.
	 */
	public static class Refresh {

		/**
		 * Shortest time between the start of a discovery and the next one that failed commands ask for; failures
		 * meanwhile share that one. A discovery connects to every Sentinel and probes the master, so this bounds
		 * the load a slow master and many failing threads put on them. A failover a Sentinel announces
		 * (+switch-master) is followed at once, whatever this says.
		 */
		private Duration minInterval = Duration.ofSeconds(1);

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

	}

	/**
	 * Holding writes while Sentinels run a failover, so that no write is acknowledged by a master that is about to
	 * be demoted and lose it.
	 */
	public static class FailoverHold {

		/**
		 * Whether writes wait from the first failover event a Sentinel publishes until the new master is confirmed.
		 * Each write waits at most one command timeout per attempt; reads continue.
		 */
		private boolean enabled = true;

		/**
		 * Longest time writes stay held after the last failover event, should the end of the failover never be
		 * announced.
		 */
		private Duration maxDuration = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

	}

	/**
	 * Opt-in replica acknowledgement of writes with WAIT.
	 */
	public static class Wait {

		/**
		 * How many replicas must acknowledge each write (WAIT) before it counts as done; 0 turns WAIT off. A write
		 * that fewer replicas acknowledge in time fails, although the master applied it.
		 */
		private int replicas;

		/**
		 * Longest time WAIT waits for the replicas.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public int getReplicas() {
			return this.replicas;
		}

		public void setReplicas(int replicas) {
			this.replicas = replicas;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
