package io.redisdiscovery.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

/**
 * Which waiting commands a silence is judged by: those a server answers on the thread that answers everything else,
 * so that a reply missing for {@link #SILENCE} means the server or its path stopped, not a slow command. The
 * {@link SilentConnectionWatch} decides by them, and so does the cluster's watch ({@code SilentMasterWatch}).
 *
 * @since 0.1.0
 */
public final class QuickCommands {

	/**
	 * How long a quick command may go unanswered before its connection is suspected; see
	 * {@link SilentConnectionWatch#QUICK_SILENCE}.
	 */
	public static final Duration SILENCE = SilentConnectionWatch.QUICK_SILENCE;

	/** The silence tolerated for commands that are not quick, and the probe's wait, is this fraction of the timeout. */
	private static final int SLOW_SILENCE_FRACTION = 4;

	/**
	 * The shortest silence tolerated for a command that is not quick: a slow link's round trip is not a dead path.
	 * With a command timeout under a second it is longer than the fraction above.
	 */
	private static final Duration MIN_SLOW_SILENCE = Duration.ofMillis(250);

	private QuickCommands() {
	}

	/**
	 * Whether a command is quick: Redis's own command on a key, or one answered at once ({@code PING}, {@code MULTI}),
	 * and never a blocking one.
	 * @param command a command waiting for its reply
	 * @return {@code true} when it is quick
	 */
	public static boolean isQuick(RedisCommand<?, ?, ?> command) {
		return !BlockingCommandTimeouts.mayBlock(command)
				&& SilentConnectionWatch.isQuick(command, SilentConnectionWatch.firstKey(command));
	}

	/**
	 * How long a command that is not quick may wait without any byte read, and how long a probe of a silent
	 * connection's server waits for its answer: a quarter of the command timeout, and at least 250 ms.
	 * @param commandTimeout the command timeout
	 * @return the silence
	 */
	public static Duration slowSilence(Duration commandTimeout) {
		Duration quarter = commandTimeout.dividedBy(SLOW_SILENCE_FRACTION);
		return (quarter.compareTo(MIN_SLOW_SILENCE) < 0) ? MIN_SLOW_SILENCE : quarter;
	}

	/**
	 * The key a probe writes to (a {@code DEL}, which changes nothing), in the hash slot of the command's first key,
	 * so that it reaches the thread and the node that leave the command unanswered.
	 * @param command the silent connection's oldest command
	 * @param name the rest of the probe key, which makes it a key that never exists
	 * @return the probe key, or {@code null} when the command has no key
	 */
	public static @Nullable String probeKey(RedisCommand<?, ?, ?> command, String name) {
		ByteBuffer key = SilentConnectionWatch.firstKey(command);
		return (key != null) ? orName(ProbeKey.inSlotOf(key, name), name) : null;
	}

	/**
	 * The key a probe writes to in a given hash slot: for a command without a key ({@code PING}), which a cluster node
	 * answers on the same thread as its slots' writes, any slot the node serves.
	 * @param slot the hash slot
	 * @param name the rest of the probe key, which makes it a key that never exists
	 * @return the probe key
	 */
	public static String probeKeyInSlot(int slot, String name) {
		return orName(ProbeKey.inSlot(slot, name), name);
	}

	private static String orName(byte @Nullable [] key, String name) {
		return (key != null) ? new String(key, StandardCharsets.UTF_8) : name;
	}

}
