package io.redisdiscovery.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of the auto-configuration module import each other only downwards, as docs/architecture.md draws
 * them: the wiring ({@code autoconfigure}) on top, one package per mode and the Actuator packages in the middle,
 * {@code topology} and {@code retry} at the bottom. Read from the sources' import lines.
 */
class PackageLayeringTests {

	private static final Path SOURCES = Path.of("src/main/java/io/redisdiscovery");

	private static final Pattern PROJECT_IMPORT = Pattern.compile("^import (?:static )?io\\.redisdiscovery\\.(\\w+)\\.",
			Pattern.MULTILINE);

	/** What each package may import from the project, besides itself. */
	private static final Map<String, Set<String>> ALLOWED = Map.of("retry", Set.of(), "topology", Set.of("retry"),
			"cluster", Set.of("topology", "retry"), "dns", Set.of("topology", "retry"), "sentinel",
			Set.of("topology", "retry"), "metrics", Set.of("topology"), "actuate", Set.of("topology"), "health",
			Set.of("topology"));

	@Test
	void packagesShouldImportOnlyTheLayersBelowThem() {
		Map<String, Set<String>> imports = projectImports();
		assertThat(imports.keySet()).as("packages (add a new one to ALLOWED and to docs/architecture.md)")
			.containsExactlyInAnyOrder("actuate", "autoconfigure", "cluster", "dns", "health", "metrics", "retry",
					"sentinel", "topology");
		ALLOWED.forEach((module, allowed) -> assertThat(imports.get(module))
			.as("packages that io.redisdiscovery.%s imports", module)
			.isSubsetOf(allowed));
	}

	@Test
	void nothingShouldImportTheWiring() {
		projectImports().forEach((module, imported) -> {
			if (!module.equals("autoconfigure")) {
				assertThat(imported).as("packages that io.redisdiscovery.%s imports", module)
					.doesNotContain("autoconfigure");
			}
		});
	}

	/** Per top-level package, the other top-level packages of the project its sources import. */
	private static Map<String, Set<String>> projectImports() {
		Map<String, Set<String>> imports = new TreeMap<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			files.filter((file) -> file.toString().endsWith(".java")).forEach((file) -> {
				String module = SOURCES.relativize(file).getName(0).toString();
				Set<String> imported = imports.computeIfAbsent(module, (key) -> new TreeSet<>());
				Matcher matcher = PROJECT_IMPORT.matcher(read(file));
				while (matcher.find()) {
					if (!matcher.group(1).equals(module)) {
						imported.add(matcher.group(1));
					}
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return imports;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
