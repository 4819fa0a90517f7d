package io.redisdiscovery.retry;

import java.time.Duration;

import io.lettuce.core.protocol.RedisCommand;

/**
 * Which waiting commands a silence is judged by: those a server answers on the thread that answers everything else,
 * so that a reply missing for {@link #SILENCE} means the server or its path stopped, not a slow command. The
 * {@link SilentConnectionWatch} decides by them, and so does the cluster's watch for frozen masters.
 *
 * @since 0.1.0
 */
public final class QuickCommands {

	/**
	 * How long a quick command may go unanswered before its connection is suspected; see
	 * {@link SilentConnectionWatch#QUICK_SILENCE}.
	 */
	public static final Duration SILENCE = SilentConnectionWatch.QUICK_SILENCE;

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

}
