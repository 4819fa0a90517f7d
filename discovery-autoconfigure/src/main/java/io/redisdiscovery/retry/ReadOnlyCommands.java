package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether a Spring Data Redis connection call only reads. An allow-list: anything not known to be a read
 * counts as a write, so that holding and confirming writes errs on the safe side.
 *
 * @since 0.1.0
 */
public final class ReadOnlyCommands {

	private static final Set<String> READS = Set.of("get", "mget", "getrange", "strlen", "getbit", "bitcount",
			"bitpos", "exists", "type", "ttl", "pttl", "keys", "scan", "randomkey", "dump", "encodingof", "idletime",
			"refcount", "hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen", "hscan",
			"hrandfield", "hrandfieldwithvalues", "httl", "hpttl", "lrange", "lindex", "llen", "lpos", "smembers",
			"sismember", "smismember", "scard", "srandmember", "sdiff", "sinter", "sunion", "sintercard", "sscan",
			"zrange", "zrangewithscores", "zrevrange", "zrevrangewithscores", "zrangebyscore",
			"zrangebyscorewithscores", "zrevrangebyscore", "zrevrangebyscorewithscores", "zrangebylex",
			"zrevrangebylex", "zcount", "zlexcount", "zcard", "zscore", "zmscore", "zrank", "zrevrank", "zrandmember",
			"zrandmemberwithscore", "zscan", "zdiff", "zdiffwithscores", "zinter", "zinterwithscores", "zunion",
			"zunionwithscores", "pfcount", "geodist", "geohash", "geopos", "georadius", "georadiusbymember",
			"geosearch", "xlen", "xrange", "xrevrange", "xread", "xinfo", "xinfogroups", "xinfoconsumers",
			"xpending", "ping", "echo", "dbsize", "info", "time", "lastsave", "getconfig", "getclientname",
			"getclientlist", "role");

	private ReadOnlyCommands() {
	}

	/**
	 * Whether the call only reads.
	 * @param method the connection method called
	 * @param args its arguments
	 * @return {@code true} for a known read
	 */
	public static boolean isReadOnly(Method method, @Nullable Object @Nullable [] args) {
		String name = method.getName().toLowerCase(Locale.ROOT);
		if (name.equals("execute") && args != null && args.length > 0) {
			return READS.contains(commandName(args[0]));
		}
		return READS.contains(name);
	}

	private static String commandName(@Nullable Object arg) {
		String name = (arg instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(arg);
		return name.toLowerCase(Locale.ROOT);
	}

}
