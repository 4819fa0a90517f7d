package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of cluster mode ({@code redis.discovery.cluster.*}): Redis OSS Cluster, or a Redis Enterprise
 * database with the OSS Cluster API.
 *
 * @since 0.1.0
 */
public class ClusterProperties {

	/**
	 * Seed nodes as "host:port" (DNS names allowed). The slot map is discovered from them, and they are asked again,
	 * with their names resolved anew, when no node of the known topology answers.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Most MOVED or ASK redirections followed for one command.
	 */
	private int maxRedirects = 5;

	/**
	 * Which nodes serve reads: "upstream" (masters only), "upstreamPreferred", "replica", "replicaPreferred",
	 * "lowestLatency", "any", "anyReplica", or "regex:" followed by a pattern matched against node addresses.
	 */
	private String readFrom = "upstream";

	/**
	 * Address a node announces ("host:port", as in CLUSTER NODES and MOVED replies) mapped to the address the
	 * client dials instead, for clients outside a NAT or per-node proxies. Write keys in brackets so that the colon
	 * is kept, for example redis.discovery.cluster.address-map.[10.0.0.5:6379]=redis-5.example.com:16379.
	 */
	private Map<String, String> addressMap = new LinkedHashMap<>();

	private final Refresh refresh = new Refresh();

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public int getMaxRedirects() {
		return this.maxRedirects;
	}

	public void setMaxRedirects(int maxRedirects) {
		this.maxRedirects = maxRedirects;
	}

	public String getReadFrom() {
		return this.readFrom;
	}

	public void setReadFrom(String readFrom) {
		this.readFrom = readFrom;
	}

	public Map<String, String> getAddressMap() {
		return this.addressMap;
	}

	public void setAddressMap(Map<String, String> addressMap) {
		this.addressMap = addressMap;
	}

	public Refresh getRefresh() {
		return this.refresh;
	}

	/**
	 * Refresh of the slot map.
	 */
	public static class Refresh {

		/**
		 * Period of the background refresh of the slot map; 0 turns the periodic refresh off.
		 */
		private Duration period = Duration.ofSeconds(30);

		/**
		 * Whether to refresh at once on signs of a topology change: MOVED and ASK redirections, persistent reconnect
		 * attempts, a redirection to an unknown node, a slot without a master, and commands that failed for a
		 * reason a refresh may cure.
		 */
		private boolean adaptive = true;

		/**
		 * Shortest time between two refreshes triggered by such signs, per client.
		 */
		private Duration minInterval = Duration.ofMillis(500);

		/**
		 * Most nodes one client asks for the slot map at each refresh (chosen at random among the healthy known
		 * nodes, so the load spreads over the cluster). The refresh cost then grows with the number of clients, not
		 * with the cluster size. When none of them answers, the seed nodes are asked.
		 */
		private int maxSources = 3;

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public boolean isAdaptive() {
			return this.adaptive;
		}

		public void setAdaptive(boolean adaptive) {
			this.adaptive = adaptive;
		}

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

		public int getMaxSources() {
			return this.maxSources;
		}

		public void setMaxSources(int maxSources) {
			this.maxSources = maxSources;
		}

	}

}
