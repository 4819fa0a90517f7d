package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.redisdiscovery.lab.RedisClusterLab;
import io.redisdiscovery.lab.RedisServer;

/**
 * The slot ranges a cluster master serves, from its own {@code CLUSTER SLOTS}.
 */
final class ClusterSlots {

	private ClusterSlots() {
	}

	/**
	 * The ranges {@code master} serves, each as {@code [first, last]}.
	 * @param master a cluster master
	 * @return its ranges, possibly empty
	 */
	static List<int[]> servedBy(RedisServer master) {
		List<int[]> ranges = new ArrayList<>();
		if (master.command("CLUSTER", "SLOTS") instanceof List<?> entries) {
			for (Object entry : entries) {
				List<?> fields = (List<?>) entry;
				List<?> owner = (List<?>) fields.get(2);
				if (((Long) owner.get(1)).intValue() == master.port()) {
					ranges.add(new int[] { ((Long) fields.get(0)).intValue(), ((Long) fields.get(1)).intValue() });
				}
			}
		}
		return ranges;
	}

	/**
	 * Where each slot is served, as {@code node}'s {@code CLUSTER SLOTS} reports it.
	 * @param node any live cluster node
	 * @return the master address of every slot, indexed by slot
	 */
	static InetSocketAddress[] owners(RedisServer node) {
		InetSocketAddress[] owners = new InetSocketAddress[RedisClusterLab.SLOTS];
		for (Object entry : (List<?>) Objects.requireNonNull(node.command("CLUSTER", "SLOTS"))) {
			List<?> fields = (List<?>) entry;
			List<?> owner = (List<?>) fields.get(2);
			InetSocketAddress address = new InetSocketAddress((String) owner.get(0), ((Long) owner.get(1)).intValue());
			Arrays.fill(owners, ((Long) fields.get(0)).intValue(), ((Long) fields.get(1)).intValue() + 1, address);
		}
		for (int slot = 0; slot < owners.length; slot++) {
			if (owners[slot] == null) {
				throw new IllegalStateException("No node serves slot " + slot);
			}
		}
		return owners;
	}

	static boolean contains(List<int[]> ranges, int slot) {
		return ranges.stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
	}

}
