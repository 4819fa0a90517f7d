package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.function.Predicate;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.redisdiscovery.topology.LettuceCompatibility;

/**
 * Builds the {@link ClusterClientOptions} of cluster mode: periodic and adaptive slot map refresh, stale
 * connections closed, and no routing to nodes the cluster has marked failed.
 *
 * @since 0.1.0
 */
public final class ClusterClientOptionsFactory {

	/** Reconnect attempts to one node after which Lettuce refreshes the slot map (its default is 5). */
	private static final int RECONNECT_ATTEMPTS_BEFORE_REFRESH = 2;

	private ClusterClientOptionsFactory() {
	}

	/**
	 * A builder with the cluster defaults, to which the options shared by every mode are added.
	 * @param refresh how the slot map is refreshed
	 * @param maxRedirects most redirections followed for one command
	 * @return the builder
	 */
	public static ClusterClientOptions.Builder builder(RefreshSettings refresh, int maxRedirects) {
		ClusterTopologyRefreshOptions.Builder refreshOptions = ClusterTopologyRefreshOptions.builder()
			.closeStaleConnections(true)
			.dynamicRefreshSources(true);
		if (!refresh.period().isZero()) {
			refreshOptions.enablePeriodicRefresh(refresh.period());
		}
		if (refresh.adaptive()) {
			refreshOptions.enableAllAdaptiveRefreshTriggers()
				.adaptiveRefreshTriggersTimeout(refresh.minInterval())
				.refreshTriggersReconnectAttempts(RECONNECT_ATTEMPTS_BEFORE_REFRESH);
		}
		else {
			// Lettuce 7 enables every adaptive trigger by default, Lettuce 6 none.
			LettuceCompatibility.disableAdaptiveRefreshTriggers(refreshOptions);
		}
		return ClusterClientOptions.builder()
			.maxRedirects(maxRedirects)
			.topologyRefreshOptions(refreshOptions.build())
			.nodeFilter(routable());
	}

	/**
	 * Keeps nodes the cluster has not marked {@code fail} and that have an address, so that no command is routed
	 * to them and their connections are closed. A {@code fail?} flag is one node's unconfirmed suspicion and does
	 * not exclude a node.
	 * @return the filter
	 */
	public static Predicate<RedisClusterNode> routable() {
		return (node) -> !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR);
	}

	/**
	 * How the slot map is refreshed.
	 *
	 * @param period the period of the background refresh, {@link Duration#ZERO} for none
	 * @param adaptive whether signs of a topology change trigger a refresh
	 * @param minInterval shortest time between two triggered refreshes
	 */
	public record RefreshSettings(Duration period, boolean adaptive, Duration minInterval) {

	}

}
