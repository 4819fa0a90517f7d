package io.redisdiscovery.sentinel;

import java.util.List;

import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * A failover event a Sentinel published, reduced to what the client acts on.
 *
 * @param kind what happened
 * @param channel the channel it came on, for example {@code +try-failover}
 * @param masterName the master group it concerns
 * @param master the master being failed over (the old one, for {@link Kind#SWITCH_MASTER} and
 * {@link Kind#REPLICA_PROMOTED}), when the message names it
 * @param newMaster the promoted master, for {@link Kind#SWITCH_MASTER} and {@link Kind#REPLICA_PROMOTED} only
 * @since 0.1.0
 */
public record SentinelEvent(Kind kind, String channel, String masterName, @Nullable RedisNode master,
		@Nullable RedisNode newMaster) {

	/**
	 * The channels the client subscribes to: plain channel names, so that endpoints without pattern subscription
	 * accept them.
	 */
	public static final List<String> CHANNELS = List.of("+switch-master", "+try-failover", "+elected-leader",
			"+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone",
			"+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves", "+failover-end",
			"+failover-end-for-timeout", "-failover-abort-not-elected", "-failover-abort-no-good-slave",
			"-failover-abort-slave-timeout");

	/**
	 * Parses a message of one of the {@link #CHANNELS}.
	 * @param channel the channel
	 * @param message the message, for example {@code mymaster 127.0.0.1 6379 127.0.0.1 6380} for
	 * {@code +switch-master} or {@code master mymaster 127.0.0.1 6379} for the others
	 * @return the event, or {@code null} for a channel or message the client does not act on
	 */
	public static @Nullable SentinelEvent parse(String channel, String message) {
		String[] words = message.trim().split("\\s+");
		if (channel.equals("+switch-master")) {
			if (words.length < 5) {
				return null;
			}
			try {
				return new SentinelEvent(Kind.SWITCH_MASTER, channel, words[0], node(words, 1),
						new RedisNode(words[3], Integer.parseInt(words[4])));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		Kind kind = kindOf(channel);
		int name = masterNameIndex(words);
		if (kind == null || name < 0) {
			return null;
		}
		if (kind == Kind.REPLICA_PROMOTED) {
			// slave <name> <ip> <port> @ <master-name> <master-ip> <master-port>
			RedisNode promoted = words[0].equals("slave") ? node(words, 2) : null;
			return (promoted != null) ? new SentinelEvent(kind, channel, words[name], node(words, name + 1), promoted)
					: null;
		}
		return new SentinelEvent(kind, channel, words[name], node(words, name + 1), null);
	}

	private static @Nullable RedisNode node(String[] words, int hostIndex) {
		if (hostIndex + 1 >= words.length) {
			return null;
		}
		try {
			return new RedisNode(words[hostIndex], Integer.parseInt(words[hostIndex + 1]));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable Kind kindOf(String channel) {
		if (channel.equals("+promoted-slave")) {
			return Kind.REPLICA_PROMOTED;
		}
		if (channel.equals("+failover-end")) {
			return Kind.FAILOVER_ENDED;
		}
		if (channel.startsWith("-failover-abort") || channel.equals("+failover-end-for-timeout")) {
			return Kind.FAILOVER_ABORTED;
		}
		return CHANNELS.contains(channel) ? Kind.FAILOVER_STARTED : null;
	}

	/**
	 * Where the master name is in Sentinel's instance format, {@code <type> <name> <ip> <port> [@ <master-name>
	 * <ip> <port>]}, or -1.
	 */
	private static int masterNameIndex(String[] words) {
		for (int i = 0; i + 1 < words.length; i++) {
			if (words[i].equals("@")) {
				return i + 1;
			}
		}
		return (words.length >= 2 && words[0].equals("master")) ? 1 : -1;
	}

	/**
	 * What a Sentinel event means for the client.
	 */
	public enum Kind {

		/** A failover started or progressed: writes may soon reach a master that is being replaced. */
		FAILOVER_STARTED,

		/** The promoted replica is the master now. */
		SWITCH_MASTER,

		/**
		 * The replica the leading Sentinel promoted reports itself master. From then on that Sentinel names it, and
		 * the failover can no longer be given up; the leader announces the switch only once the other replicas follow
		 * the new master, and the other Sentinels at their next hello, about 100 ms later.
		 */
		REPLICA_PROMOTED,

		/** The failover finished; the master switch is announced next. */
		FAILOVER_ENDED,

		/** The failover was given up; the master did not change. */
		FAILOVER_ABORTED

	}

}
