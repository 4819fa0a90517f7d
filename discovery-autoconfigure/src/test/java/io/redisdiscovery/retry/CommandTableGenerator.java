package io.redisdiscovery.retry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@value RedisCommandTable#LOCATION} from a real {@code redis-server}'s {@code COMMAND INFO}, applying the
 * rule {@link CommandIdempotency} documents: the table holds what the metadata says, the few facts it cannot say
 * are in {@link RepeatOverrides}.
 * <p>
 * Regenerate with {@code ./mvnw -pl discovery-autoconfigure test -Dtest=CommandTableIntegrationTests
 * -Dredis.discovery.commands.regenerate=true}; {@link CommandTableIntegrationTests} fails while the checked-in table
 * differs from what the lab's server says.
 */
final class CommandTableGenerator {

	/** Where the table lives in the source tree, relative to the module. */
	static final Path SOURCE = Path.of("src/main/resources").resolve(RedisCommandTable.LOCATION);

	private CommandTableGenerator() {
	}

	/**
	 * Starts a lab server and writes the table into the source tree.
	 * @param args ignored
	 * @throws IOException when the file cannot be written
	 */
	public static void main(String[] args) throws IOException {
		try (RedisLab lab = new RedisLab()) {
			write(lab.startServer());
		}
	}

	static void write(RedisServer server) throws IOException {
		Files.writeString(SOURCE, generate(server), StandardCharsets.UTF_8);
	}

	/**
	 * The table's text, as the given server describes its commands.
	 * @param server a running server
	 * @return one line per command and sub-command, sorted, after a header naming the server's version
	 */
	static String generate(RedisServer server) {
		Map<String, String> lines = new TreeMap<>();
		for (Object info : list(server.command("COMMAND", "INFO"))) {
			addCommand(lines, list(info));
		}
		StringBuilder text = new StringBuilder();
		text.append("# Generated from COMMAND INFO of redis-server ")
			.append(server.infoValue("server", "redis_version"))
			.append(" by CommandTableGenerator (src/test); do not edit.\n");
		text.append("# command\taccess\trepeat\tdestination\n");
		lines.forEach((command, facts) -> text.append(command).append('\t').append(facts).append('\n'));
		return text.toString();
	}

	private static void addCommand(Map<String, String> lines, List<Object> info) {
		String name = ((String) info.get(0)).toLowerCase(Locale.ROOT);
		Set<String> flags = Set.copyOf(strings(info.get(2)));
		List<String> tips = strings(info.get(7));
		List<KeySpec> keySpecs = new ArrayList<>();
		for (Object spec : list(info.get(8))) {
			keySpecs.add(KeySpec.of(map(spec)));
		}
		lines.put(name, facts(flags, tips, keySpecs));
		if (info.size() > 9) {
			for (Object subCommand : list(info.get(9))) {
				addCommand(lines, list(subCommand));
			}
		}
	}

	/**
	 * The rule on one command's metadata; see {@link CommandIdempotency}.
	 */
	static String facts(Set<String> flags, List<String> tips, List<KeySpec> keySpecs) {
		if (flags.contains("readonly")) {
			return "read\tsafe\t-";
		}
		boolean nondeterministic = tips.contains("nondeterministic_output");
		boolean overwrites = keySpecs.stream().anyMatch(KeySpec::overwritesBlindly);
		boolean onlyReadsOrOverwrites = keySpecs.stream().allMatch((spec) -> spec.reads() || spec.overwritesBlindly());
		if (keySpecs.isEmpty() || nondeterministic || flags.contains("blocking") || !overwrites
				|| !onlyReadsOrOverwrites) {
			return "write\tunsafe\t-";
		}
		if (keySpecs.stream().noneMatch(KeySpec::reads)) {
			return "write\tsafe\t-";
		}
		List<String> destinations = keySpecs.stream()
			.filter(KeySpec::overwritesBlindly)
			.map(KeySpec::beginSearch)
			.toList();
		return "write\tsafe-unless-destination-is-read\t" + String.join(",", destinations);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(@Nullable Object value) {
		return (value != null) ? (List<Object>) value : List.of();
	}

	private static List<String> strings(@Nullable Object value) {
		return list(value).stream().map((item) -> String.valueOf(item).toLowerCase(Locale.ROOT)).toList();
	}

	private static Map<String, Object> map(@Nullable Object value) {
		List<Object> items = list(value);
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i + 1 < items.size(); i += 2) {
			map.put(String.valueOf(items.get(i)), items.get(i + 1));
		}
		return map;
	}

	/**
	 * One key specification of {@code COMMAND INFO}: its flags and where its keys begin.
	 * @param flags the flags, lower case ({@code ro}, {@code rw}, {@code ow}, {@code rm}, {@code access},
	 * {@code update}, {@code insert}, {@code delete} ...)
	 * @param beginSearch {@code index:N} (the key is the Nth argument, the command name being 0) or
	 * {@code keyword:WORD} (the key follows the keyword)
	 */
	record KeySpec(Set<String> flags, String beginSearch) {

		static KeySpec of(Map<String, Object> spec) {
			Map<String, Object> begin = map(spec.get("begin_search"));
			Map<String, Object> where = map(begin.get("spec"));
			String beginSearch = switch (String.valueOf(begin.get("type"))) {
				case "index" -> "index:" + where.get("index");
				case "keyword" -> "keyword:" + String.valueOf(where.get("keyword")).toUpperCase(Locale.ROOT);
				default -> "unknown";
			};
			return new KeySpec(Set.copyOf(strings(spec.get("flags"))), beginSearch);
		}

		/** Read only: a repeat reads the same data again. */
		boolean reads() {
			return this.flags.contains("ro");
		}

		/**
		 * Overwritten without being read ({@code OW}) by an update that neither inserts into, deletes from nor
		 * returns the old value: a repeat writes the same value and, as the reply cannot depend on the old value,
		 * answers the same.
		 */
		boolean overwritesBlindly() {
			return this.flags.contains("ow") && this.flags.contains("update") && !this.flags.contains("access")
					&& !this.flags.contains("insert") && !this.flags.contains("delete");
		}

	}

}
