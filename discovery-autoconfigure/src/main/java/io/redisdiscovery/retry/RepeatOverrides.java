package io.redisdiscovery.retry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.redisdiscovery.retry.RedisCommandTable.Facts;
import io.redisdiscovery.retry.RedisCommandTable.Repeat;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ExpirationOptions;
import org.springframework.data.redis.connection.ReactiveKeyCommands.ExpireCommand;
import org.springframework.data.redis.connection.ReactiveStringCommands.SetCommand;
import org.springframework.data.redis.connection.ReactiveZSetCommands.ZAddCommand;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;

/**
 * What Redis's command metadata cannot express, each with its reason: the facts of a few commands, and the
 * options that decide whether a repeat of them is safe.
 */
final class RepeatOverrides {

	private static final Facts REPORT = new Facts(true, Repeat.SAFE, List.of());

	/** A write that is safe when {@link #wordsAllowRepeat} or {@link #argumentsAllowRepeat} says so. */
	private static final Facts WRITE_SAFE = new Facts(false, Repeat.SAFE, List.of());

	/** Commands whose facts replace the generated ones. */
	static final Map<String, Facts> FACTS = Map.ofEntries(
			// Keyless commands that only report: the metadata flags them neither readonly nor write.
			Map.entry("ping", REPORT), Map.entry("echo", REPORT), Map.entry("time", REPORT),
			Map.entry("info", REPORT), Map.entry("lastsave", REPORT), Map.entry("role", REPORT),
			Map.entry("config|get", REPORT), Map.entry("client|getname", REPORT), Map.entry("client|list", REPORT),
			Map.entry("client|info", REPORT), Map.entry("client|id", REPORT), Map.entry("cluster|info", REPORT),
			Map.entry("cluster|nodes", REPORT), Map.entry("cluster|slots", REPORT),
			Map.entry("cluster|shards", REPORT), Map.entry("cluster|myid", REPORT),
			Map.entry("cluster|keyslot", REPORT), Map.entry("cluster|countkeysinslot", REPORT),
			Map.entry("cluster|getkeysinslot", REPORT), Map.entry("cluster|replicas", REPORT),
			Map.entry("script|exists", REPORT),
			// Caches a script under its SHA1 and answers that SHA1, the same again; not a read, as the cache
			// belongs to the node it ran on.
			Map.entry("script|load", WRITE_SAFE),
			// Flagged RW for an option (GET; NX, XX, GT, LT) that the arguments are checked for: without it the
			// value or expiry is overwritten and the reply (OK, 1) is the same again.
			Map.entry("set", WRITE_SAFE), Map.entry("expire", WRITE_SAFE), Map.entry("pexpire", WRITE_SAFE),
			Map.entry("expireat", WRITE_SAFE), Map.entry("pexpireat", WRITE_SAFE),
			// ZADD answers how many members it added, 0 on a repeat: safe only with XX (0 both times), checked.
			Map.entry("zadd", WRITE_SAFE),
			// Flagged RW, but they overwrite what they are given and answer OK or the same length again.
			Map.entry("hmset", WRITE_SAFE), Map.entry("lset", WRITE_SAFE), Map.entry("setrange", WRITE_SAFE),
			// Overwrites its destination from its sources like SUNIONSTORE, which Redis 7.0 flags OW; it flags
			// SINTERSTORE's destination RW.
			Map.entry("sinterstore", new Facts(false, Repeat.SAFE_UNLESS_DESTINATION_IS_READ, List.of("index:1"))));

	private static final Set<String> EXPIRE = Set.of("expire", "pexpire", "expireat", "pexpireat");

	private static final Set<String> CONDITIONS = Set.of("NX", "XX", "GT", "LT");

	private static final Set<String> ZADD_OPTIONS = Set.of("NX", "XX", "GT", "LT", "CH", "INCR");

	private RepeatOverrides() {
	}

	/**
	 * Whether the options of a raw command leave a repeat safe, for commands whose options matter.
	 * @param command the command name, lower case
	 * @param words its arguments, upper case
	 * @return {@code false} when an option makes the reply or the data differ on a repeat
	 */
	static boolean wordsAllowRepeat(String command, List<String> words) {
		return switch (command) {
			// SET key value [NX | XX] [GET] ...: the options follow the value.
			case "set" -> noneOf(words, 2, Set.of("NX", "XX", "GET"));
			case "expire", "pexpire", "expireat", "pexpireat" -> noneOf(words, 2, CONDITIONS);
			case "zadd" -> zaddOnlyUpdates(words);
			// Without REPLACE a repeat finds the key it created: COPY answers 0, RESTORE fails.
			case "copy" -> words.subList(Math.min(2, words.size()), words.size()).contains("REPLACE");
			case "restore" -> words.subList(Math.min(3, words.size()), words.size()).contains("REPLACE");
			default -> true;
		};
	}

	/**
	 * Whether the arguments of a Spring Data call leave a repeat safe, for commands whose options matter.
	 * @param command the command name, lower case
	 * @param methodName the method called
	 * @param args its arguments, a reactive call's constant command objects already unwrapped
	 * @return {@code false} when an option makes the reply or the data differ on a repeat
	 */
	static boolean argumentsAllowRepeat(String command, String methodName, @Nullable Object[] args) {
		if (command.equals("set")) {
			// setGet sends SET ... GET: the reply is the previous value, the first attempt's own on a repeat.
			return !methodName.equals("setGet") && noneMatch(args, RepeatOverrides::setsConditionally);
		}
		if (EXPIRE.contains(command)) {
			return noneMatch(args, RepeatOverrides::expiresConditionally);
		}
		if (command.equals("zadd")) {
			return anyMatch(args, RepeatOverrides::addsOnlyToExisting);
		}
		if (command.equals("copy") || command.equals("restore")) {
			return anyMatch(args, Boolean.TRUE::equals);
		}
		return true;
	}

	private static boolean setsConditionally(@Nullable Object arg) {
		if (arg instanceof SetCommand set) {
			return set.getOption().filter((option) -> option != SetOption.UPSERT).isPresent();
		}
		return arg instanceof SetOption option && option != SetOption.UPSERT;
	}

	private static boolean expiresConditionally(@Nullable Object arg) {
		ExpirationOptions.Condition condition = null;
		if (arg instanceof ExpirationOptions.Condition value) {
			condition = value;
		}
		else if (arg instanceof ExpirationOptions options) {
			condition = options.getCondition();
		}
		else if (arg instanceof ExpireCommand expire && expire.getOptions() != null) {
			condition = expire.getOptions().getCondition();
		}
		return condition != null && condition != ExpirationOptions.Condition.ALWAYS;
	}

	/** With XX (and neither CH nor INCR) ZADD adds no member and answers 0, the first time and again. */
	private static boolean addsOnlyToExisting(@Nullable Object arg) {
		if (arg instanceof ZAddArgs zadd) {
			return zadd.contains(ZAddArgs.Flag.XX) && !zadd.contains(ZAddArgs.Flag.CH);
		}
		return arg instanceof ZAddCommand zadd && zadd.isIfExists() && !zadd.isReturnTotalChanged()
				&& !zadd.isIncr();
	}

	private static boolean zaddOnlyUpdates(List<String> words) {
		boolean onlyExisting = false;
		// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member ...: the options end at the first score.
		for (int i = 1; i < words.size() && ZADD_OPTIONS.contains(words.get(i)); i++) {
			String option = words.get(i);
			if (option.equals("CH") || option.equals("INCR")) {
				return false;
			}
			onlyExisting |= option.equals("XX");
		}
		return onlyExisting;
	}

	private static boolean noneOf(List<String> words, int from, Set<String> options) {
		for (int i = from; i < words.size(); i++) {
			if (options.contains(words.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean anyMatch(@Nullable Object[] args, Predicate<@Nullable Object> test) {
		for (Object arg : args) {
			if (test.test(arg)) {
				return true;
			}
		}
		return false;
	}

	private static boolean noneMatch(@Nullable Object[] args, Predicate<@Nullable Object> test) {
		return !anyMatch(args, test);
	}

}
