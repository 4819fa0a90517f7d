package io.redisdiscovery.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redisdiscovery.lab.internal.TempDirectories;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis-server} executable the lab runs: an explicit one, the one on the PATH, or the embedded-redis one.
 */
public final class RedisBinary {

	/** System property naming an explicit {@code redis-server} executable. */
	public static final String SYSTEM_PROPERTY = "redis.lab.server";

	/** Environment variable naming an explicit {@code redis-server} executable. */
	public static final String ENVIRONMENT_VARIABLE = "REDIS_LAB_SERVER";

	private static final Logger logger = LoggerFactory.getLogger(RedisBinary.class);

	private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");

	private static @Nullable RedisBinary resolved;

	private final Path path;

	private final String version;

	private final String source;

	private RedisBinary(Path path, String source) {
		this.path = path;
		this.source = source;
		this.version = readVersion(path);
	}

	/**
	 * Resolves the binary once per JVM: {@value #SYSTEM_PROPERTY} or {@value #ENVIRONMENT_VARIABLE}, else
	 * {@code redis-server} on the PATH, else the binary embedded in embedded-redis.
	 */
	public static synchronized RedisBinary resolve() {
		RedisBinary binary = resolved;
		if (binary == null) {
			binary = locate();
			logger.info("Redis lab uses redis-server {} from {} ({})", binary.version, binary.source, binary.path);
			resolved = binary;
		}
		return binary;
	}

	/**
	 * Uses the given executable, bypassing the lookup.
	 */
	public static RedisBinary of(Path path) {
		return new RedisBinary(path, "explicit");
	}

	public Path path() {
		return this.path;
	}

	/**
	 * The version reported by {@code redis-server --version}, for example {@code 7.0.15}.
	 */
	public String version() {
		return this.version;
	}

	/**
	 * Where the binary came from: {@code explicit}, {@code PATH} or {@code embedded}.
	 */
	public String source() {
		return this.source;
	}

	/**
	 * Tells whether this binary is at least the given version, for commands that appeared in later releases.
	 */
	public boolean isAtLeast(int major, int minor) {
		String[] parts = this.version.split("\\.");
		int actualMajor = Integer.parseInt(parts[0]);
		int actualMinor = Integer.parseInt(parts[1]);
		return actualMajor > major || (actualMajor == major && actualMinor >= minor);
	}

	@Override
	public String toString() {
		return "redis-server " + this.version + " (" + this.source + ": " + this.path + ")";
	}

	private static RedisBinary locate() {
		String explicit = System.getProperty(SYSTEM_PROPERTY);
		if (explicit == null || explicit.isBlank()) {
			explicit = System.getenv(ENVIRONMENT_VARIABLE);
		}
		if (explicit != null && !explicit.isBlank()) {
			Path path = Paths.get(explicit.trim());
			if (!Files.isExecutable(path)) {
				throw new RedisLabException("The redis-server named by " + SYSTEM_PROPERTY + "/" + ENVIRONMENT_VARIABLE
						+ " is not an executable file: " + path);
			}
			return new RedisBinary(path, "explicit");
		}
		Path onPath = findOnPath();
		if (onPath != null) {
			return new RedisBinary(onPath, "PATH");
		}
		return new RedisBinary(extractEmbedded(), "embedded");
	}

	private static @Nullable Path findOnPath() {
		String pathVariable = System.getenv("PATH");
		if (pathVariable == null) {
			return null;
		}
		for (String directory : pathVariable.split(File.pathSeparator)) {
			if (directory.isBlank()) {
				continue;
			}
			Path candidate = Paths.get(directory, "redis-server");
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static Path extractEmbedded() {
		String resource = embeddedResourceName();
		Path directory = TempDirectories.create("redis-lab-bin-");
		Path target = directory.resolve(resource);
		try (InputStream in = RedisBinary.class.getResourceAsStream("/" + resource)) {
			if (in == null) {
				throw new RedisLabException("No redis-server on the PATH and embedded-redis does not contain "
						+ resource + "; install redis-server or set " + SYSTEM_PROPERTY);
			}
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot extract the embedded redis-server " + resource, ex);
		}
		if (!target.toFile().setExecutable(true, true)) {
			throw new RedisLabException("Cannot make the embedded redis-server executable: " + target);
		}
		// Registered directory first: deleteOnExit runs in reverse order, so the file goes before its directory.
		directory.toFile().deleteOnExit();
		target.toFile().deleteOnExit();
		return target;
	}

	private static String embeddedResourceName() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
		boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
		if (os.contains("linux")) {
			if (x64) {
				return "redis-server-6.2.6-v5-linux-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.7-linux-arm64";
			}
			if (arch.equals("x86") || arch.equals("i386") || arch.equals("i686")) {
				return "redis-server-6.2.7-linux-386";
			}
		}
		if (os.contains("mac") || os.contains("darwin")) {
			if (x64) {
				return "redis-server-6.2.6-v5-darwin-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.6-v5-darwin-arm64";
			}
		}
		throw new RedisLabException("No embedded redis-server for " + os + "/" + arch
				+ "; install redis-server or set " + SYSTEM_PROPERTY);
	}

	private static String readVersion(Path path) {
		try {
			Process process = new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			String text = new String(output, StandardCharsets.UTF_8);
			Matcher matcher = VERSION.matcher(text);
			if (!matcher.find()) {
				throw new RedisLabException("Cannot parse the version of " + path + " from: " + text.trim());
			}
			return matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3);
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot run " + path + " --version", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisLabException("Interrupted while running " + path + " --version", ex);
		}
	}

}
