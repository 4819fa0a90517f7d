package io.redisdiscovery.retry;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The Redis command a Spring Data Redis connection method sends: its name in lower case ({@code sAdd} sends
 * {@code sadd}), except for the methods listed here. Sub-commands are named {@code container|sub-command}, as
 * {@code COMMAND INFO} names them.
 */
final class SpringDataCommandNames {

	private static final Map<String, String> IRREGULAR = Map.ofEntries(
			// A variant of the command's reply or arguments, same command.
			Map.entry("mdel", "del"), Map.entry("munlink", "unlink"), Map.entry("setget", "set"),
			Map.entry("hrandfieldwithvalues", "hrandfield"), Map.entry("zrandmemberwithscore", "zrandmember"),
			Map.entry("zrangewithscores", "zrange"), Map.entry("zrevrangewithscores", "zrevrange"),
			Map.entry("zrangebyscorewithscores", "zrangebyscore"),
			Map.entry("zrevrangebyscorewithscores", "zrevrangebyscore"), Map.entry("zdiffwithscores", "zdiff"),
			Map.entry("zinterwithscores", "zinter"), Map.entry("zunionwithscores", "zunion"),
			Map.entry("zrangestorebylex", "zrangestore"), Map.entry("zrangestorebyscore", "zrangestore"),
			Map.entry("zrangestorerevbylex", "zrangestore"), Map.entry("zrangestorerevbyscore", "zrangestore"),
			Map.entry("zremrange", "zremrangebyrank"), Map.entry("xclaimjustid", "xclaim"),
			Map.entry("xpendingsummary", "xpending"), Map.entry("georemove", "zrem"),
			Map.entry("replicaofnoone", "replicaof"), Map.entry("applyexpiration", "pexpire"),
			Map.entry("applyhashfieldexpiration", "hpexpire"),
			// Spring Data never passes STORE to these: they are the read-only variants.
			Map.entry("georadius", "georadius_ro"), Map.entry("georadiusbymember", "georadiusbymember_ro"),
			// The reactive API names a family by what it does; left and right variants have the same facts.
			Map.entry("push", "lpush"), Map.entry("pop", "lpop"), Map.entry("poplist", "lpop"),
			Map.entry("bpop", "blpop"), Map.entry("zpop", "zpopmin"), Map.entry("bzpop", "bzpopmin"),
			// A reactive read may name a consumer group; XREADGROUP is the one of the two that writes.
			Map.entry("read", "xreadgroup"),
			// A reactive group command may create, destroy or delete a consumer: all writes that answer once.
			Map.entry("xgroup", "xgroup|create"),
			// Sub-commands.
			Map.entry("encodingof", "object|encoding"), Map.entry("idletime", "object|idletime"),
			Map.entry("refcount", "object|refcount"), Map.entry("getconfig", "config|get"),
			Map.entry("setconfig", "config|set"), Map.entry("resetconfigstats", "config|resetstat"),
			Map.entry("rewriteconfig", "config|rewrite"), Map.entry("getclientname", "client|getname"),
			Map.entry("setclientname", "client|setname"), Map.entry("getclientlist", "client|list"),
			Map.entry("killclient", "client|kill"), Map.entry("scriptexists", "script|exists"),
			Map.entry("scriptflush", "script|flush"), Map.entry("scriptkill", "script|kill"),
			Map.entry("scriptload", "script|load"), Map.entry("xgroupcreate", "xgroup|create"),
			Map.entry("xgroupdelconsumer", "xgroup|delconsumer"), Map.entry("xgroupdestroy", "xgroup|destroy"),
			Map.entry("xinfo", "xinfo|stream"), Map.entry("xinfogroups", "xinfo|groups"),
			Map.entry("xinfoconsumers", "xinfo|consumers"), Map.entry("clusteraddslots", "cluster|addslots"),
			Map.entry("clustercountkeysinslot", "cluster|countkeysinslot"),
			Map.entry("clusterdeleteslots", "cluster|delslots"),
			Map.entry("clusterdeleteslotsinrange", "cluster|delslotsrange"),
			Map.entry("clusterforget", "cluster|forget"), Map.entry("clustergetclusterinfo", "cluster|info"),
			Map.entry("clustergetkeysinslot", "cluster|getkeysinslot"), Map.entry("clustergetnodes", "cluster|nodes"),
			Map.entry("clustergetreplicas", "cluster|replicas"), Map.entry("clustergetslotforkey", "cluster|keyslot"),
			Map.entry("clustermeet", "cluster|meet"), Map.entry("clusterreplicate", "cluster|replicate"),
			Map.entry("clustersetslot", "cluster|setslot"),
			// Answered from CLUSTER NODES.
			Map.entry("clustergetmasterreplicamap", "cluster|nodes"),
			Map.entry("clustergetnodeforkey", "cluster|nodes"), Map.entry("clustergetnodeforslot", "cluster|nodes"));

	/**
	 * Methods that send no command of their own: {@code execute} names its command in its arguments, the others
	 * manage subscriptions or the connection.
	 */
	private static final Set<String> NOT_COMMANDS = Set.of("execute", "createsubscription", "getsubscription",
			"issubscribed");

	private SpringDataCommandNames() {
	}

	/**
	 * The command a connection method sends.
	 * @param methodName the method name, for example {@code zRangeStoreByScore}
	 * @return the command name, for example {@code zrangestore}, or {@code null} when the method sends no command
	 * of its own
	 */
	static @Nullable String commandName(String methodName) {
		String name = methodName.toLowerCase(Locale.ROOT);
		if (NOT_COMMANDS.contains(name)) {
			return null;
		}
		return IRREGULAR.getOrDefault(name, name);
	}

}
