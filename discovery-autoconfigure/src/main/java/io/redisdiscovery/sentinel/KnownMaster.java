package io.redisdiscovery.sentinel;

import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * The master a {@link SentinelTopologySource} uses, with the configuration epoch under which the Sentinels
 * named it: the epoch orders failovers, so an answer or an event that carries an older one is about a master the
 * group has already left.
 *
 * @param node the master
 * @param configEpoch Sentinel's {@code config-epoch} for it, or {@code null} where the endpoint gives none (Redis
 * Enterprise's discovery service, for one)
 */
record KnownMaster(RedisNode node, @Nullable Long configEpoch) {

	/**
	 * The master after a confirmed answer: the same node keeps the highest epoch seen for it, another node comes
	 * with its own.
	 * @param known the master in use, or {@code null} before the first one
	 * @param confirmed the node confirmed as master
	 * @param configEpoch the epoch the answer carried, if any
	 * @return the master to use from now on
	 */
	static KnownMaster after(@Nullable KnownMaster known, RedisNode confirmed, @Nullable Long configEpoch) {
		if (known == null || !known.node().equals(confirmed)) {
			return new KnownMaster(confirmed, configEpoch);
		}
		Long kept = known.configEpoch();
		if (kept == null || (configEpoch != null && configEpoch > kept)) {
			return new KnownMaster(confirmed, configEpoch);
		}
		return known;
	}

	@Override
	public String toString() {
		return (this.configEpoch != null) ? this.node + " (config-epoch " + this.configEpoch + ")"
				: this.node.toString();
	}

}
