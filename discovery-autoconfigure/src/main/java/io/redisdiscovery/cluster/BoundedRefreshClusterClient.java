package io.redisdiscovery.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.topology.ClusterTopologyRefresh;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisClusterClient} that asks at most a fixed number of known nodes for the slot map at each refresh,
 * and the seed nodes when none of them answers.
 * <p>
 * Lettuce's dynamic refresh asks every known node, so a fleet of clients sends clients &times; nodes topology
 * queries per refresh; static refresh asks only the seeds and is lost when they all move. This client takes the
 * sources at random among the healthy known nodes, which bounds the cost per client and spreads it over the
 * cluster, and keeps Lettuce's fallback to the seeds (whose names are resolved again at each connect).
 *
 * @since 0.1.0
 */
public class BoundedRefreshClusterClient extends RedisClusterClient {

	private final int maxSources;

	private volatile @Nullable Consumer<List<RedisClusterNode>> installed;

	private volatile Predicate<RedisURI> unanswering = (uri) -> false;

	/**
	 * Creates a client.
	 * @param resources the client resources (not shut down with the client)
	 * @param seeds the seed nodes
	 * @param maxSources most nodes asked at each refresh
	 */
	public BoundedRefreshClusterClient(ClientResources resources, List<RedisURI> seeds, int maxSources) {
		super(resources, seeds);
		if (maxSources < 1) {
			throw new IllegalArgumentException("'maxSources' must be at least 1 but was " + maxSources);
		}
		this.maxSources = maxSources;
	}

	/**
	 * Tells a listener every slot map the client has installed, that is, routes by from then on. Lettuce's
	 * {@code ClusterTopologyChangedEvent} comes before the client installs the new map: a retry woken by it would be
	 * routed by the old one.
	 * @param listener called with the nodes of each installed slot map, on the thread that installed it
	 */
	public void onSlotMapInstalled(Consumer<List<RedisClusterNode>> listener) {
		this.installed = listener;
	}

	/**
	 * Leaves out of the refresh sources the nodes known not to answer now: a frozen master accepts the refresh's
	 * connection and never answers, and the refresh would wait for it until its timeout.
	 * @param unanswering whether a node (by the URI of the slot map) is known not to answer
	 */
	public void skipInRefresh(Predicate<RedisURI> unanswering) {
		this.unanswering = unanswering;
	}

	@Override
	protected void updatePartitionsInConnections() {
		super.updatePartitionsInConnections();
		Consumer<List<RedisClusterNode>> listener = this.installed;
		if (listener != null) {
			// The read view, not getPartitions().getPartitions(), which the next refresh clears and fills in place.
			listener.accept(List.copyOf(getPartitions()));
		}
	}

	@Override
	protected Iterable<RedisURI> getTopologyRefreshSource() {
		Iterable<RedisURI> known = super.getTopologyRefreshSource();
		if (known == getInitialUris()) {
			// No slot map yet: the seeds it is, and the same object keeps Lettuce from "falling back" to them twice.
			return known;
		}
		List<RedisURI> candidates = new ArrayList<>();
		Partitions partitions = getPartitions();
		for (RedisClusterNode node : partitions) {
			if (ClusterClientOptionsFactory.routable().test(node) && node.isConnected()
					&& !this.unanswering.test(node.getUri())) {
				candidates.add(node.getUri());
			}
		}
		if (candidates.isEmpty()) {
			return getInitialUris();
		}
		Collections.shuffle(candidates, ThreadLocalRandom.current());
		return List.copyOf(candidates.subList(0, Math.min(this.maxSources, candidates.size())));
	}

	/**
	 * Always {@code true}: the sources come from the known topology, and Lettuce falls back to the seeds only for
	 * dynamic sources.
	 */
	@Override
	protected boolean useDynamicRefreshSources() {
		return true;
	}

	/**
	 * Asks only the chosen sources: Lettuce's discovery would also ask every node they report.
	 */
	@Override
	protected ClusterTopologyRefresh createTopologyRefresh() {
		ClusterTopologyRefresh views = super.createTopologyRefresh();
		return (seed, connectTimeout, discovery) -> views.loadViews(seed, connectTimeout, false);
	}

}
