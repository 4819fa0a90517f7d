package io.redisdiscovery.benchmarks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RespClient;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The soak: every selected mode at once, each with its own lab topology, starter application and mixed workload,
 * and a fault every few seconds rotating through the mode's {@link SoakTopology#faults()}.
 */
final class SoakRun {

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration SETTLE = Duration.ofSeconds(5);

	private static final int STACKS_PER_MODE = 3;

	private final List<String> modes = new ArrayList<>();

	private Duration duration = Duration.ofMinutes(10);

	private Duration faultEvery = Duration.ofSeconds(30);

	private Variant variant = Variant.STARTER;

	private final long createdAt = System.nanoTime();

	SoakRun(List<String> args) {
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("--minutes")) {
				this.duration = Duration.ofSeconds(Math.round(Double.parseDouble(args.get(++i)) * 60));
			}
			else if (arg.equals("--variant")) {
				this.variant = Variant.valueOf(args.get(++i).toUpperCase(Locale.ROOT).replace('-', '_'));
			}
			else if (arg.equals("--fault-every")) {
				this.faultEvery = Duration.ofSeconds(Long.parseLong(args.get(++i)));
			}
			else if (SoakTopology.MODES.containsKey(arg)) {
				this.modes.add(arg);
			}
			else {
				throw new IllegalArgumentException("Unknown soak argument '" + arg
						+ "': use 'soak [mode ...] [--minutes N] [--fault-every S] [--variant starter|boot-default|boot-tuned]', modes "
						+ SoakTopology.MODE_ORDER);
			}
		}
		if (this.modes.isEmpty()) {
			this.modes.addAll(SoakTopology.MODE_ORDER);
		}
	}

	Report run() throws Exception {
		List<ModeRun> runs = new ArrayList<>();
		try {
			for (String mode : this.modes) {
				runs.add(new ModeRun(mode));
			}
			runs.forEach(ModeRun::startWorkload);
			Thread.sleep(WARM_UP.toMillis());
			JvmSample jvmAtStart = JvmSample.take();
			runs.forEach(ModeRun::countConnectionsAtStart);
			log("soak started: " + this.variant.label() + ", " + this.modes + " for " + this.duration
					+ ", a fault every " + this.faultEvery);
			long start = System.nanoTime();
			List<Thread> faultLoops = new ArrayList<>();
			for (int i = 0; i < runs.size(); i++) {
				ModeRun run = runs.get(i);
				long offset = this.faultEvery.toNanos() * i / runs.size();
				Thread loop = new Thread(() -> run.injectFaults(start + offset, start + this.duration.toNanos()),
						"soak:" + run.mode + "-faults");
				loop.setDaemon(true);
				faultLoops.add(loop);
				loop.start();
			}
			for (Thread loop : faultLoops) {
				loop.join(this.duration.plusMinutes(5).toMillis());
			}
			Thread.sleep(SETTLE.toMillis());
			for (ModeRun run : runs) {
				run.stopWorkload();
			}
			log("verifying acknowledged writes");
			List<Result> results = new ArrayList<>();
			for (ModeRun run : runs) {
				results.add(run.verify());
			}
			runs.forEach(ModeRun::forgetWrites);
			JvmSample jvmAtEnd = JvmSample.take();
			List<Result> complete = new ArrayList<>();
			for (int i = 0; i < runs.size(); i++) {
				complete.add(results.get(i).withConnectionsAtEnd(runs.get(i).connections()));
			}
			return new Report(this.variant, this.duration, this.faultEvery, complete, jvmAtStart, jvmAtEnd);
		}
		finally {
			runs.forEach(ModeRun::close);
		}
	}

	private void log(String message) {
		System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - this.createdAt) / 1e9, message);
	}

	/** One mode's lab, application, workload and fault rotation. */
	private final class ModeRun {

		private final String mode;

		private final RedisLab lab = new RedisLab();

		private final SoakTopology topology;

		private final ConfigurableApplicationContext context;

		/** Dropped after verification, so that the heap at the end does not hold the workload's bookkeeping. */
		private @Nullable Load load;

		private final List<MasterKill> kills = new CopyOnWriteArrayList<>();

		private final List<FaultRecord> faults = new CopyOnWriteArrayList<>();

		private final Map<String, Long> errorsByFault = new ConcurrentHashMap<>();

		private final AtomicInteger stacksLogged = new AtomicInteger();

		private volatile String phase = "before the first fault";

		private int connectionsAtStart;

		ModeRun(String mode) {
			this.mode = mode;
			try {
				this.topology = SoakTopology.MODES.get(mode).apply(this.lab);
				this.context = SoakRun.this.variant.start(this.topology.target());
			}
			catch (RuntimeException ex) {
				this.lab.close();
				throw ex;
			}
			FixedRateWorkload workload = new FixedRateWorkload(Api.TEMPLATE, this.context, "soak:" + mode);
			workload.errorListener = this::applicationError;
			this.load = new Load(workload, new SoakReader(Variant.template(this.context), workload.acknowledged,
					"soak:" + mode + "-reader", this::applicationError));
		}

		private Load load() {
			return Objects.requireNonNull(this.load, "workload already dropped");
		}

		void startWorkload() {
			load().workload().start(1);
			load().reader().start();
		}

		void countConnectionsAtStart() {
			this.connectionsAtStart = connections();
		}

		private void applicationError(String command, RuntimeException ex) {
			String phase = this.phase;
			this.errorsByFault.merge(command + " " + phase, 1L, Long::sum);
			if (this.stacksLogged.getAndIncrement() < STACKS_PER_MODE) {
				StringWriter stack = new StringWriter();
				ex.printStackTrace(new PrintWriter(stack));
				log(this.mode + ": " + command + " failed " + phase + ":\n" + stack);
			}
			else {
				log(this.mode + ": " + command + " failed " + phase + ": " + ex);
			}
		}

		void injectFaults(long first, long end) {
			List<SoakFault> rotation = this.topology.faults();
			for (int k = 0;; k++) {
				long due = first + SoakRun.this.faultEvery.toNanos() * (k + 1);
				if (due >= end) {
					return;
				}
				long wait = due - System.nanoTime();
				if (wait > 0) {
					try {
						Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
				SoakFault fault = rotation.get(k % rotation.size());
				this.phase = "during '" + fault.name() + "'";
				long started = System.nanoTime();
				String outcome = "ok";
				try {
					MasterKill kill = fault.action().run();
					if (kill != null) {
						this.kills.add(kill);
					}
				}
				catch (Exception ex) {
					outcome = "lab failure: " + ex;
					log(this.mode + ": '" + fault.name() + "' failed in the lab: " + ex);
				}
				long took = System.nanoTime() - started;
				this.phase = "after '" + fault.name() + "'";
				this.faults.add(new FaultRecord(fault.name(), (started - SoakRun.this.createdAt) / 1_000_000,
						took / 1_000_000, outcome));
				log(this.mode + ": '" + fault.name() + "' done in " + took / 1_000_000 + " ms (" + outcome + ")");
			}
		}

		void stopWorkload() throws InterruptedException {
			load().workload().stop();
			load().reader().stop();
		}

		Result verify() {
			FixedRateWorkload workload = load().workload();
			SoakReader reader = load().reader();
			Function<String, InetSocketAddress> locator = this.topology.locator().get();
			Map<String, Long> lost = new HashMap<>();
			Map<InetSocketAddress, RespClient> connections = new HashMap<>();
			try {
				for (Map.Entry<String, String> write : workload.acknowledged.entrySet()) {
					if (!write.getValue().equals(get(connections, locator, write.getKey()))) {
						lost.put(write.getKey(), Long.parseLong(write.getValue()));
					}
				}
				Object counter = get(connections, locator, workload.counterKey());
				long increments = (counter != null) ? Long.parseLong(counter.toString()) : 0;
				long acknowledgedIncrements = workload.acknowledgedIncrements.get();
				long unknownIncrements = workload.incrementErrors.get();
				SoakLosses losses = SoakLosses.classify(lost, this.kills);
				long acknowledged = workload.acknowledged.size();
				long operations = 2 * acknowledged + workload.errors.get() + acknowledgedIncrements
						+ unknownIncrements + reader.reads.get();
				return new Result(this.mode, this.faults.size(), List.copyOf(this.faults), operations,
						workload.errors.get() + reader.errors.get(), unknownIncrements,
						new LinkedHashMap<>(this.errorsByFault), acknowledged, losses.server(), losses.client(),
						acknowledgedIncrements, increments,
						Math.max(0, increments - acknowledgedIncrements - unknownIncrements),
						Math.max(0, acknowledgedIncrements - increments), reader.mismatches.get(),
						this.kills.stream().map((kill) -> kill.measuredLag().toMillis()).toList(),
						this.connectionsAtStart, -1);
			}
			finally {
				connections.values().forEach(RespClient::close);
			}
		}

		private @Nullable Object get(Map<InetSocketAddress, RespClient> connections,
				Function<String, InetSocketAddress> locator, String key) {
			InetSocketAddress address = locator.apply(key);
			RespClient client = connections.computeIfAbsent(address,
					(target) -> RespClient.connect(target, RespClient.DEFAULT_TIMEOUT));
			return client.call("GET", key);
		}

		void forgetWrites() {
			this.load = null;
		}

		/** Client connections on the live data nodes, not counting replication links, Sentinels and this query. */
		int connections() {
			int count = 0;
			for (RedisServer node : this.topology.dataNodes().get()) {
				Object list = node.command("CLIENT", "LIST");
				for (String line : String.valueOf(list).split("\n")) {
					String flags = field(line, "flags");
					if (!line.isBlank() && !flags.contains("S") && !flags.contains("M")
							&& !field(line, "name").startsWith("sentinel-")
							&& !field(line, "cmd").equals("client|list")) {
						count++;
					}
				}
			}
			return count;
		}

		private String field(String line, String name) {
			for (String pair : line.trim().split(" ")) {
				if (pair.startsWith(name + "=")) {
					return pair.substring(name.length() + 1);
				}
			}
			return "";
		}

		void close() {
			try {
				this.context.close();
			}
			finally {
				this.lab.close();
			}
		}

	}

	/**
	 * A mode's workload: the writer and the reader of earlier keys.
	 *
	 * @param workload the writer
	 * @param reader the reader
	 */
	private record Load(FixedRateWorkload workload, SoakReader reader) {

	}

	/**
	 * The whole JVM at one moment, after a GC.
	 *
	 * @param heapUsedBytes heap in use
	 * @param liveThreads live threads, not counting the soak's own workload, reader and fault threads
	 * @param threadsByName those threads counted by name, digits replaced with {@code #}
	 */
	record JvmSample(long heapUsedBytes, long liveThreads, Map<String, Long> threadsByName) {

		static JvmSample take() throws InterruptedException {
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(200);
			}
			Map<String, Long> threads = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.isAlive() && !thread.getName().startsWith("soak:"))
				.collect(Collectors.groupingBy((thread) -> thread.getName().replaceAll("\\d+", "#"), TreeMap::new,
						Collectors.counting()));
			long count = threads.values().stream().mapToLong(Long::longValue).sum();
			return new JvmSample(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), count, threads);
		}

		/**
		 * The thread names whose count differs from {@code earlier}, with the change.
		 * @param earlier an earlier sample
		 * @return the changes, such as {@code lettuce-nioEventLoop-#-# +2}
		 */
		List<String> threadChangesSince(JvmSample earlier) {
			Set<String> names = new TreeSet<>(this.threadsByName.keySet());
			names.addAll(earlier.threadsByName.keySet());
			List<String> changes = new ArrayList<>();
			for (String name : names) {
				long change = this.threadsByName.getOrDefault(name, 0L) - earlier.threadsByName.getOrDefault(name, 0L);
				if (change != 0) {
					changes.add(name + " " + ((change > 0) ? "+" : "") + change);
				}
			}
			return changes;
		}

	}

	/**
	 * One injected fault.
	 *
	 * @param name the fault
	 * @param startedAtMillis when it started, from the start of the benchmark
	 * @param tookMillis injection plus repair
	 * @param outcome {@code ok}, or why the lab failed
	 */
	record FaultRecord(String name, long startedAtMillis, long tookMillis, String outcome) {

	}

	/**
	 * What one mode's application saw over the soak.
	 *
	 * @param mode the mode
	 * @param faultCount faults injected
	 * @param faults every fault injected
	 * @param operations commands the application ran (SET, GET, INCR, reads of earlier keys)
	 * @param errors errors on SET/GET seen by the application
	 * @param incrementErrors INCRs that failed with an unknown outcome
	 * @param errorsByFault errors by command and by the fault in progress or last injected
	 * @param acknowledgedWrites writes acknowledged to the application
	 * @param lostWritesServer lost acknowledged writes Redis's asynchronous replication explains
	 * @param lostWritesClient other lost acknowledged writes
	 * @param acknowledgedIncrements INCRs acknowledged to the application
	 * @param counter the counter's value at the end
	 * @param duplicateIncrements counter increments beyond acknowledged plus unknown-outcome INCRs
	 * @param lostIncrements acknowledged INCRs missing from the counter
	 * @param readMismatches reads of earlier keys that returned another value than the acknowledged one
	 * @param replicationLagsMillis the replication lag measured before each {@code kill -9} of a master
	 * @param connectionsAtStart client connections on the data nodes at the start
	 * @param connectionsAtEnd client connections on the data nodes at the end
	 */
	record Result(String mode, int faultCount, List<FaultRecord> faults, long operations, long errors,
			long incrementErrors, Map<String, Long> errorsByFault, long acknowledgedWrites, long lostWritesServer,
			long lostWritesClient, long acknowledgedIncrements, long counter, long duplicateIncrements,
			long lostIncrements, long readMismatches,
			List<Long> replicationLagsMillis, int connectionsAtStart, int connectionsAtEnd) {

		Result withConnectionsAtEnd(int connections) {
			return new Result(this.mode, this.faultCount, this.faults, this.operations, this.errors,
					this.incrementErrors, this.errorsByFault, this.acknowledgedWrites, this.lostWritesServer,
					this.lostWritesClient, this.acknowledgedIncrements, this.counter, this.duplicateIncrements,
					this.lostIncrements, this.readMismatches,
					this.replicationLagsMillis, this.connectionsAtStart, connections);
		}

	}

	/**
	 * The whole soak.
	 *
	 * @param variant the application set-up (the starter unless told otherwise)
	 * @param duration how long faults were injected
	 * @param faultEvery the time between two faults of a mode
	 * @param modes each mode's result
	 * @param jvmAtStart the JVM after the warm-up
	 * @param jvmAtEnd the JVM after the workloads stopped and their bookkeeping was dropped
	 */
	record Report(Variant variant, Duration duration, Duration faultEvery, List<Result> modes, JvmSample jvmAtStart,
			JvmSample jvmAtEnd) {

	}

}
