package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * A key for the silence probe in the hash slot of the key a waiting command is on. A proxy in front of a sharded
 * database (Redis Enterprise) sends the probe to the shard that has to answer the waiting command: when that shard is
 * busy, the probe waits as the command does, and the silence is not taken for a dead path.
 *
 * @since 0.1.0
 */
final class ProbeKey {

	/** Small numbers cover all 16,384 slots well below this bound (the last one near 200,000). */
	private static final int MAX_TAG = 1_000_000;

	private ProbeKey() {
	}

	/**
	 * The key {@code {tag}name}, whose hash tag puts it in the slot of {@code key}.
	 * @param key a command's first key, as encoded
	 * @param name the rest of the probe key, which makes it a key that never exists
	 * @return the probe key, or {@code null} if no tag was found (never, for a slot in range)
	 */
	static byte @Nullable [] inSlotOf(ByteBuffer key, String name) {
		return inSlot(SlotHash.getSlot(key.duplicate()), name);
	}

	/**
	 * The key {@code {tag}name}, whose hash tag puts it in {@code slot}.
	 * @param slot a hash slot
	 * @param name the rest of the probe key, which makes it a key that never exists
	 * @return the probe key, or {@code null} if no tag was found (never, for a slot in range)
	 */
	static byte @Nullable [] inSlot(int slot, String name) {
		for (int tag = 0; tag < MAX_TAG; tag++) {
			String candidate = Integer.toString(tag);
			if (SlotHash.getSlot(candidate) == slot) {
				return ("{" + candidate + "}" + name).getBytes(StandardCharsets.UTF_8);
			}
		}
		return null;
	}

}
