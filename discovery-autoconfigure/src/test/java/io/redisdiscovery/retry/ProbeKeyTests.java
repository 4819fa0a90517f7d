package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The silence probe's key lands in the hash slot of the waiting command's key.
 */
class ProbeKeyTests {

	@ParameterizedTest
	@ValueSource(strings = { "user:1", "orders", "{tenant}:cart", "a{b", "a}b{c}", "", "\u00e9t\u00e9" })
	void theProbeKeyShouldBeInTheSlotOfTheKey(String key) {
		byte[] encoded = key.getBytes(StandardCharsets.UTF_8);
		byte[] probeKey = ProbeKey.inSlotOf(ByteBuffer.wrap(encoded), "redis-discovery:probe:x");
		assertThat(probeKey).isNotNull();
		assertThat(SlotHash.getSlot(probeKey)).isEqualTo(SlotHash.getSlot(encoded));
		assertThat(new String(probeKey, StandardCharsets.UTF_8)).endsWith("}redis-discovery:probe:x");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 8191, 16383 })
	void everySlotShouldHaveAProbeKey(int slot) {
		byte[] key = keyInSlot(slot);
		byte[] probeKey = ProbeKey.inSlotOf(ByteBuffer.wrap(key), "p");
		assertThat(probeKey).isNotNull();
		assertThat(SlotHash.getSlot(probeKey)).isEqualTo(slot);
		assertThat(ProbeKey.inSlot(slot, "p")).isEqualTo(probeKey);
	}

	private static byte[] keyInSlot(int slot) {
		for (int i = 0; i < 10_000_000; i++) {
			byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
			if (SlotHash.getSlot(key) == slot) {
				return key;
			}
		}
		throw new IllegalStateException("No key found in slot " + slot);
	}

}
