package io.redisdiscovery.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * One node's view of the cluster, parsed from {@code CLUSTER NODES}.
 */
record ClusterNodesTable(List<Entry> entries) {

	static ClusterNodesTable parse(String text) {
		List<Entry> entries = new ArrayList<>();
		for (String line : text.split("\r?\n")) {
			if (!line.isBlank()) {
				entries.add(Entry.parse(line.trim()));
			}
		}
		return new ClusterNodesTable(List.copyOf(entries));
	}

	@Nullable Entry byId(String id) {
		return this.entries.stream().filter((entry) -> entry.id().equals(id)).findFirst().orElse(null);
	}

	Entry myself() {
		return this.entries.stream()
			.filter((entry) -> entry.flags().contains("myself"))
			.findFirst()
			.orElseThrow(() -> new RedisLabException("CLUSTER NODES has no 'myself' line"));
	}

	/**
	 * The node id owning each slot range, as {@code "start-end" -> id}, sorted by slot.
	 */
	Map<Integer, String> slotOwners() {
		Map<Integer, String> owners = new TreeMap<>();
		for (Entry entry : this.entries) {
			for (int[] range : entry.slots()) {
				owners.put(range[0], range[1] + " " + entry.id());
			}
		}
		return owners;
	}

	@Nullable Entry ownerOf(int slot) {
		for (Entry entry : this.entries) {
			for (int[] range : entry.slots()) {
				if (slot >= range[0] && slot <= range[1]) {
					return entry;
				}
			}
		}
		return null;
	}

	/**
	 * One line of {@code CLUSTER NODES}.
	 */
	record Entry(String id, String host, int port, Set<String> flags, @Nullable String masterId, String linkState,
			List<int[]> slots) {

		static Entry parse(String line) {
			String[] fields = line.split(" ");
			if (fields.length < 8) {
				throw new RedisLabException("Cannot parse CLUSTER NODES line: " + line);
			}
			// ip:port@cport[,hostname] (the hostname part exists since Redis 7).
			String address = fields[1];
			int at = address.indexOf('@');
			String hostPort = (at >= 0) ? address.substring(0, at) : address;
			int colon = hostPort.lastIndexOf(':');
			String host = hostPort.substring(0, colon);
			int port = Integer.parseInt(hostPort.substring(colon + 1));
			Set<String> flags = Set.of(fields[2].split(","));
			String masterId = "-".equals(fields[3]) ? null : fields[3];
			List<int[]> slots = new ArrayList<>();
			for (String slot : Arrays.asList(fields).subList(8, fields.length)) {
				// "[slot->-id]" and "[slot-<-id]" mark migrations in progress, not ownership.
				if (slot.startsWith("[")) {
					continue;
				}
				int dash = slot.indexOf('-');
				if (dash < 0) {
					int single = Integer.parseInt(slot);
					slots.add(new int[] { single, single });
				}
				else {
					slots.add(new int[] { Integer.parseInt(slot.substring(0, dash)),
							Integer.parseInt(slot.substring(dash + 1)) });
				}
			}
			return new Entry(fields[0], host, port, flags, masterId, fields[7], List.copyOf(slots));
		}

		boolean isMaster() {
			return this.flags.contains("master");
		}

		boolean isReplica() {
			return this.flags.contains("slave");
		}

		boolean isFailing() {
			return this.flags.contains("fail") || this.flags.contains("fail?");
		}

		boolean isReplicaOf(String id) {
			return isReplica() && Objects.equals(this.masterId, id);
		}

		int slotCount() {
			return this.slots.stream().mapToInt((range) -> range[1] - range[0] + 1).sum();
		}

	}

}
