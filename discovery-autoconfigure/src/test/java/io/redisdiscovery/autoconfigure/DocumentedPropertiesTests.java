package io.redisdiscovery.autoconfigure;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks the property tables of the documentation ({@code docs/**}{@code /*.md} and {@code README.md}) against the
 * configuration metadata the build generates ({@code spring-boot-configuration-processor}, plus
 * {@code additional-spring-configuration-metadata.json}).
 * <p>
 * A property table is a Markdown table whose header starts with {@code | property | default |}. Each of its rows
 * names one property in backticks in the first cell; the second cell holds the default: the first backticked value
 * in it ({@code `2s`}, {@code `0` (off)}), or words without backticks ({@code none}, {@code inferred}) for a property
 * without a default. The test fails when a documented property does not exist, when a documented default differs
 * from the metadata's {@code defaultValue} (durations, numbers, booleans, enum constants and lists are compared by
 * value, so {@code 2s} equals {@code PT2S}), or when a property of the metadata is on no page.
 */
class DocumentedPropertiesTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path REPOSITORY = Path.of("..");

	private static final Pattern SINGLE_NAME = Pattern.compile("`([^`]+)`");

	private static final Pattern FIRST_VALUE = Pattern.compile("`([^`]*)`");

	@Test
	void propertyTablesShouldMatchTheConfigurationMetadata() throws IOException {
		Map<String, MetadataProperty> metadata = readMetadata();
		List<DocumentedProperty> documented = readDocumentation();
		assertThat(documented).as("property rows found in %s", REPOSITORY.resolve("docs").toAbsolutePath().normalize())
			.isNotEmpty();
		List<String> problems = new ArrayList<>();
		Set<String> covered = new TreeSet<>();
		for (DocumentedProperty row : documented) {
			MetadataProperty property = resolve(row.name(), metadata);
			if (property == null) {
				problems.add(row.where() + ": `" + row.name()
						+ "` is not a property of the configuration metadata. Fix the name (metadata properties with "
						+ "this prefix: " + similar(row.name(), metadata) + ") or remove the row.");
				continue;
			}
			covered.add(property.name());
			String problem = compareDefault(row, property);
			if (problem != null) {
				problems.add(row.where() + ": `" + row.name() + "` " + problem);
			}
		}
		for (MetadataProperty property : metadata.values()) {
			if (!covered.contains(property.name())) {
				problems.add("`" + property.name() + "` (" + property.type() + ") is in the configuration metadata "
						+ "but on no documentation page. Add a row to the property table of its topic under docs/: | `"
						+ property.name() + "` | " + ((property.defaultValue() != null)
								? "`" + property.defaultValue() + "`" : "none")
						+ " | " + property.description() + " |");
			}
		}
		if (!problems.isEmpty()) {
			fail(problems.size() + " documentation problem(s) against " + METADATA + ":\n  - "
					+ String.join("\n  - ", problems));
		}
	}

	@Test
	void defaultsShouldBeComparedByValue() {
		assertThat(sameValue("2s", "PT2S", "java.time.Duration")).isTrue();
		assertThat(sameValue("500ms", "500ms", "java.time.Duration")).isTrue();
		assertThat(sameValue("5m", "300s", "java.time.Duration")).isTrue();
		assertThat(sameValue("3s", "2s", "java.time.Duration")).isFalse();
		assertThat(sameValue("2.0", "2", "java.lang.Double")).isTrue();
		assertThat(sameValue("0.5", "0.25", "java.lang.Double")).isFalse();
		assertThat(sameValue("true", "true", "java.lang.Boolean")).isTrue();
		assertThat(sameValue("on", "true", "java.lang.Boolean")).isFalse();
		assertThat(sameValue("round-robin", "ROUND_ROBIN", "io.redisdiscovery.dns.AddressSelection")).isTrue();
		assertThat(sameValue("a:1, b:2", "a:1,b:2", "java.util.List<java.lang.String>")).isTrue();
		assertThat(sameValue("a:1", "a:1,b:2", "java.util.List<java.lang.String>")).isFalse();
		assertThat(sameValue("upstream", "upstream", "java.lang.String")).isTrue();
		assertThat(sameValue("Upstream", "upstream", "java.lang.String")).isFalse();
	}

	private static MetadataProperty resolve(String name, Map<String, MetadataProperty> metadata) {
		MetadataProperty exact = metadata.get(name);
		if (exact != null) {
			return exact;
		}
		// A map property documented with its key: address-map.[announced:port] or address-map.*
		int key = Math.max(name.lastIndexOf(".["), name.lastIndexOf(".*"));
		if (key > 0) {
			MetadataProperty map = metadata.get(name.substring(0, key));
			if (map != null && map.type().startsWith("java.util.Map")) {
				return map;
			}
		}
		return null;
	}

	private static String similar(String name, Map<String, MetadataProperty> metadata) {
		String prefix = name.contains(".") ? name.substring(0, name.lastIndexOf('.') + 1) : name;
		List<String> names = metadata.keySet().stream().filter((candidate) -> candidate.startsWith(prefix)).toList();
		return names.isEmpty() ? "none" : String.join(", ", names);
	}

	private static String compareDefault(DocumentedProperty row, MetadataProperty property) {
		String expected = property.defaultValue();
		String documented = row.defaultValue();
		if (expected == null && documented == null) {
			return null;
		}
		if (expected == null) {
			return "is documented with the default `" + documented + "`, but the configuration metadata has no "
					+ "default for it. Write the default cell without backticks (for example: none, inferred), or give "
					+ "the field an initial value so that the metadata has one.";
		}
		if (documented == null) {
			return "has the default `" + expected + "` in the configuration metadata, but the default cell \""
					+ row.defaultCell() + "\" has no value in backticks. Write `" + expected + "` in the default cell.";
		}
		if (!sameValue(documented, expected, property.type())) {
			return "is documented with the default `" + documented + "`, but the configuration metadata says `"
					+ expected + "` (" + property.type() + "). Change the default cell to `" + expected + "`.";
		}
		return null;
	}

	static boolean sameValue(String documented, String expected, String type) {
		try {
			if (type.equals("java.time.Duration")) {
				return duration(documented).equals(duration(expected));
			}
			if (type.equals("java.lang.Boolean") || type.equals("boolean")) {
				return documented.equalsIgnoreCase(expected) && (documented.equalsIgnoreCase("true")
						|| documented.equalsIgnoreCase("false"));
			}
			if (isNumber(type)) {
				return new BigDecimal(documented).compareTo(new BigDecimal(expected)) == 0;
			}
			if (type.startsWith("java.util.List") || type.startsWith("java.util.Set") || type.endsWith("[]")) {
				return list(documented).equals(list(expected));
			}
			if (!type.startsWith("java.")) {
				// Enum constants bind relaxed: round-robin, ROUND_ROBIN and roundrobin are the same value.
				return relaxed(documented).equals(relaxed(expected));
			}
		}
		catch (RuntimeException ex) {
			return false;
		}
		return documented.equals(expected);
	}

	private static Duration duration(String value) {
		return DurationStyle.detectAndParse(value.trim());
	}

	private static boolean isNumber(String type) {
		return Set
			.of("java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short",
					"java.lang.Byte", "int", "long", "double", "float", "short", "byte", "java.math.BigDecimal")
			.contains(type);
	}

	private static List<String> list(String value) {
		String trimmed = value.trim();
		if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
			trimmed = trimmed.substring(1, trimmed.length() - 1);
		}
		return Arrays.stream(trimmed.split(","))
			.map((element) -> element.trim().replace("`", "").replace("\"", ""))
			.filter((element) -> !element.isEmpty())
			.toList();
	}

	private static String relaxed(String value) {
		return value.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

	private static Map<String, MetadataProperty> readMetadata() throws IOException {
		assertThat(METADATA).as("configuration metadata generated by the build (run ./mvnw compile first)").exists();
		JsonNode root = JsonMapper.builder().build().readTree(Files.readString(METADATA));
		Map<String, MetadataProperty> properties = new LinkedHashMap<>();
		for (JsonNode node : root.get("properties")) {
			String name = node.get("name").asString();
			JsonNode defaultValue = node.get("defaultValue");
			JsonNode description = node.get("description");
			JsonNode type = node.get("type");
			properties.put(name,
					new MetadataProperty(name, (type != null) ? type.asString() : "java.lang.String",
							(defaultValue == null || defaultValue.isNull()) ? null : scalarOrList(defaultValue),
							(description != null) ? description.asString() : ""));
		}
		return properties;
	}

	private static String scalarOrList(JsonNode value) {
		if (value.isArray()) {
			List<String> elements = new ArrayList<>();
			for (JsonNode element : value) {
				elements.add(element.asString());
			}
			return String.join(",", elements);
		}
		return value.isString() ? value.asString() : value.toString();
	}

	private static List<DocumentedProperty> readDocumentation() throws IOException {
		List<Path> pages = new ArrayList<>();
		Path docs = REPOSITORY.resolve("docs");
		assertThat(docs).as("documentation folder (the test runs in discovery-autoconfigure)").isDirectory();
		try (Stream<Path> files = Files.walk(docs)) {
			pages.addAll(files.filter((file) -> file.toString().endsWith(".md")).sorted().toList());
		}
		pages.add(REPOSITORY.resolve("README.md"));
		List<DocumentedProperty> rows = new ArrayList<>();
		for (Path page : pages) {
			rows.addAll(propertyRows(page));
		}
		return rows;
	}

	static List<DocumentedProperty> propertyRows(Path page) throws IOException {
		List<String> lines = Files.readAllLines(page);
		String where = REPOSITORY.relativize(page).toString();
		List<DocumentedProperty> rows = new ArrayList<>();
		boolean inPropertyTable = false;
		boolean inFence = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).trim();
			if (line.startsWith("```")) {
				inFence = !inFence;
			}
			if (inFence || !line.startsWith("|")) {
				inPropertyTable = false;
				continue;
			}
			List<String> cells = cells(line);
			if (!inPropertyTable) {
				inPropertyTable = cells.size() >= 2 && cells.get(0).equalsIgnoreCase("property")
						&& cells.get(1).equalsIgnoreCase("default");
				continue;
			}
			if (cells.stream().allMatch((cell) -> cell.matches(":?-+:?"))) {
				continue;
			}
			String location = where + ":" + (i + 1);
			Matcher name = SINGLE_NAME.matcher(cells.get(0));
			if (!name.matches()) {
				rows.add(new DocumentedProperty(cells.get(0), null, (cells.size() > 1) ? cells.get(1) : "",
						location + " (the first cell must be exactly one property name in backticks, one property "
								+ "per row)"));
				continue;
			}
			String defaultCell = (cells.size() > 1) ? cells.get(1) : "";
			Matcher value = FIRST_VALUE.matcher(defaultCell);
			rows.add(new DocumentedProperty(name.group(1), value.find() ? value.group(1) : null, defaultCell,
					location));
		}
		return rows;
	}

	private static List<String> cells(String line) {
		String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
		return Arrays.stream(inner.split("(?<!\\\\)\\|")).map(String::trim).collect(Collectors.toList());
	}

	record MetadataProperty(String name, String type, String defaultValue, String description) {
	}

	record DocumentedProperty(String name, String defaultValue, String defaultCell, String where) {
	}

}
