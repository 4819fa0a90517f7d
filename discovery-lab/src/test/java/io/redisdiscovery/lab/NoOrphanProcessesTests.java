package io.redisdiscovery.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves the lab leaves no process behind, whether it is closed or the JVM simply exits.
 */
class NoOrphanProcessesTests {

	private static final String PID_PREFIX = "LAB_CHILD_PID=";

	private static final String DIRECTORY_PREFIX = "LAB_CHILD_DIR=";

	@Test
	void closeKillsEveryProcessAndDeletesTheDirectory() {
		List<Long> pids = new ArrayList<>();
		Path directory;
		TcpProxy proxy;
		try (RedisLab lab = new RedisLab()) {
			directory = lab.directory();
			pids.add(lab.startServer().pid());
			pids.add(lab.startServer(RedisServerOptions.defaults().withPersistence()).pid());
			RedisClusterLab cluster = lab.startCluster(1, 1);
			cluster.nodes().forEach((node) -> pids.add(node.pid()));
			proxy = lab.startProxy(cluster.nodes().get(0).address());
			lab.startDnsServer();
			assertThat(pids).allMatch(LabProcesses::isRunning);
		}

		assertThat(pids).hasSize(4).noneMatch(LabProcesses::isRunning);
		assertThat(directory).doesNotExist();
		assertThat(FreePorts.isFree(proxy.host(), proxy.port())).isTrue();
	}

	@Test
	void processesOfAJvmThatExitsWithoutClosingTheLabDie() throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		String explicitBinary = System.getProperty(RedisBinary.SYSTEM_PROPERTY);
		if (explicitBinary != null) {
			// The child must run the same redis-server as this JVM.
			command.add("-D" + RedisBinary.SYSTEM_PROPERTY + "=" + explicitBinary);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), LabChildMain.class.getName()));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
		long pid = -1;
		Path directory = null;
		List<String> output = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
				if (line.startsWith(PID_PREFIX)) {
					pid = Long.parseLong(line.substring(PID_PREFIX.length()));
				}
				if (line.startsWith(DIRECTORY_PREFIX)) {
					directory = Paths.get(line.substring(DIRECTORY_PREFIX.length()));
				}
			}
		}
		finally {
			if (!child.waitFor(60, TimeUnit.SECONDS)) {
				child.destroyForcibly();
			}
		}

		assertThat(child.exitValue()).as("child output: %s", output).isZero();
		assertThat(pid).as("child output: %s", output).isPositive();
		long serverPid = pid;
		await().atMost(Duration.ofSeconds(10)).until(() -> !LabProcesses.isRunning(serverPid));
		assertThat(directory).isNotNull();
		assertThat(Files.exists(directory)).isFalse();
	}

	/**
	 * Child JVM entry point: starts a server, prints its PID and lab directory, and exits without closing the lab.
	 */
	static final class LabChildMain {

		private LabChildMain() {
		}

		@SuppressWarnings("resource")
		public static void main(String[] args) throws IOException {
			RedisLab lab = new RedisLab();
			RedisServer server = lab.startServer();
			System.out.println(DIRECTORY_PREFIX + lab.directory());
			System.out.println(PID_PREFIX + server.pid());
			System.out.flush();
		}

	}

}
