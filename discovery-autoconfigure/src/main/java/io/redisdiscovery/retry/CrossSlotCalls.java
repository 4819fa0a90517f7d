package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;

/**
 * The calls Spring Data Redis runs as several commands when their keys live in different cluster slots
 * ({@code LettuceClusterConnection} and its reactive counterpart emulate them: {@code RPOPLPUSH} as {@code RPOP} then {@code LPUSH},
 * {@code SMOVE} as {@code SREM} then {@code SADD}, {@code RENAME} as {@code DUMP}, {@code RESTORE} and {@code DEL}
 * ...). When a later command fails, the earlier ones were applied: the call's failure is at best "may have reached
 * the server", whatever the last command's failure says, so a call that may not be repeated is not repeated.
 */
final class CrossSlotCalls {

	/** Spring Data's cluster command methods that fall back to several commands across slots. */
	private static final Set<String> EMULATED = Set.of("rPopLPush", "bRPopLPush", "sMove", "rename", "renameNX",
			"bLPop", "bRPop", "sort", "pfMerge", "sInterStore", "sUnionStore", "sDiffStore");

	private CrossSlotCalls() {
	}

	/**
	 * Whether a call of a reactive cluster connection may run as several commands: its keys are inside the command
	 * objects the caller publishes, so the name alone decides.
	 * @param method the called method
	 * @return {@code true} for the calls Spring Data may emulate across slots
	 */
	static boolean mayRunAsSeveralCommands(Method method) {
		return EMULATED.contains(method.getName());
	}

	/**
	 * Whether a call on a cluster connection runs as several commands.
	 * @param method the called method
	 * @param args its arguments
	 * @return {@code true} when Spring Data emulates it across slots for these keys
	 */
	static boolean runsAsSeveralCommands(Method method, @Nullable Object @Nullable [] args) {
		if (args == null || !EMULATED.contains(method.getName())) {
			return false;
		}
		List<byte[]> keys = keys(method, args);
		return keys.size() > 1 && !ClusterSlotHashUtil.isSameSlotForAllKeys(keys.toArray(new byte[0][]));
	}

	/** The key arguments: every {@code byte[]}, except the member {@code sMove} moves. */
	private static List<byte[]> keys(Method method, @Nullable Object[] args) {
		List<byte[]> keys = new ArrayList<>();
		int count = method.getName().equals("sMove") ? Math.min(2, args.length) : args.length;
		for (int i = 0; i < count; i++) {
			if (args[i] instanceof byte[] key) {
				keys.add(key);
			}
			else if (args[i] instanceof byte[][] several) {
				keys.addAll(List.of(several));
			}
		}
		return keys;
	}

}
