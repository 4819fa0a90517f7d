package io.redisdiscovery.retry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What Redis's own command metadata says about each command, as generated into {@value #LOCATION} from
 * {@code COMMAND INFO} by a test ({@code CommandTableGenerator}), with {@link RepeatOverrides} applied;
 * {@link CommandIdempotency} documents the rule.
 */
final class RedisCommandTable {

	/** The class path location of the table. */
	static final String LOCATION = "META-INF/redis-discovery/commands.tsv";

	private static final Map<String, Facts> COMMANDS = load();

	private RedisCommandTable() {
	}

	/**
	 * The facts of a command or sub-command.
	 * @param command the command name, or {@code container|sub-command} (for example {@code config|get}), any case
	 * @return its facts, or {@code null} when the lab's Redis version does not know it
	 */
	static @Nullable Facts find(String command) {
		return COMMANDS.get(command.toLowerCase(Locale.ROOT));
	}

	/**
	 * The facts of the command that {@code name} and its first argument name: the sub-command where
	 * {@code name} is a container ({@code CONFIG GET}), else the command.
	 * @param name the command name
	 * @param firstArgument the first argument, or {@code null}
	 * @return the facts, or {@code null} when unknown
	 */
	static @Nullable Facts find(String name, @Nullable String firstArgument) {
		if (firstArgument != null) {
			Facts subCommand = find(name + "|" + firstArgument);
			if (subCommand != null) {
				return subCommand;
			}
		}
		return find(name);
	}

	private static Map<String, Facts> load() {
		InputStream in = RedisCommandTable.class.getClassLoader().getResourceAsStream(LOCATION);
		if (in == null) {
			throw new IllegalStateException("Missing " + LOCATION);
		}
		Map<String, Facts> commands = new HashMap<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (!line.isEmpty() && !line.startsWith("#")) {
					String[] columns = line.split("\t");
					commands.put(columns[0], new Facts(columns[1].equals("read"), Repeat.of(columns[2]),
							columns[3].equals("-") ? List.of() : List.of(columns[3].split(","))));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + LOCATION, ex);
		}
		commands.putAll(RepeatOverrides.FACTS);
		return Map.copyOf(commands);
	}

	/**
	 * One command's facts.
	 * @param readOnly whether Redis flags it {@code readonly}
	 * @param repeat what its metadata says about sending it twice
	 * @param destinations where the keys it overwrites are, for
	 * {@link Repeat#SAFE_UNLESS_DESTINATION_IS_READ}: {@code index:N} (the Nth argument, the command name being
	 * 0) or {@code keyword:WORD} (the argument after that keyword)
	 */
	record Facts(boolean readOnly, Repeat repeat, List<String> destinations) {

	}

	/**
	 * What sending a command twice does, as far as its metadata tells.
	 */
	enum Repeat {

		/** Same data, same reply. */
		SAFE,

		/** The data or the reply may differ, or the metadata cannot tell. */
		UNSAFE,

		/**
		 * Overwrites its destination from keys it only reads: safe unless the destination is one of those keys.
		 */
		SAFE_UNLESS_DESTINATION_IS_READ;

		static Repeat of(String column) {
			return valueOf(column.toUpperCase(Locale.ROOT).replace('-', '_'));
		}

	}

}
