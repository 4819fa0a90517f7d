package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;
import io.redisdiscovery.lab.RespClient;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs each failover scenario once with every {@link Variant} side by side on the same lab servers and the same
 * fault, and reports what the application saw.
 */
final class FailoverScorecard {

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private static final Duration SETTLE = Duration.ofSeconds(10);

	private static final int THREADS = 4;

	private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

	FailoverScorecard() {
		this.scenarios.put("standalone-restart", this::standaloneRestart);
		this.scenarios.put("load-balancer-backend-kill", (lab) -> loadBalancer(lab, false));
		this.scenarios.put("load-balancer-blackhole", (lab) -> loadBalancer(lab, true));
	}

	List<Result> run(List<String> names) throws Exception {
		List<Result> results = new ArrayList<>();
		for (Map.Entry<String, Scenario> scenario : this.scenarios.entrySet()) {
			if (names.isEmpty() || names.contains(scenario.getKey())) {
				try (RedisLab lab = new RedisLab()) {
					results.addAll(scenario.getValue().run(lab).measure(scenario.getKey()));
				}
			}
		}
		return results;
	}

	/** Standalone server killed with -9 and restarted 3 s later (persistence on, so data survives). */
	private Setup standaloneRestart(RedisLab lab) {
		RedisServer server = lab.startServer(RedisServerOptions.defaults().withPersistence());
		return new Setup(new Variant.Target("standalone", server.host(), server.port()), server.address(), (mark) -> {
			mark.fault();
			server.kill();
			Thread.sleep(3000);
			server.restart();
			mark.event();
		});
	}

	/**
	 * A balancer in front of two proxies of one database; every variant's connection goes through proxy A, which
	 * is then killed (refuse + close) or blackholed (silent, no RST).
	 */
	private Setup loadBalancer(RedisLab lab, boolean blackhole) {
		RedisServer database = lab.startServer();
		TcpProxy proxyA = lab.startProxy("127.0.0.2", database.address());
		TcpProxy proxyB = lab.startProxy("127.0.0.3", database.address());
		TcpProxy balancer = lab.startProxy(proxyA.address(), proxyB.address());
		proxyB.refuseNewConnections(true);
		return new Setup(new Variant.Target("load-balancer", balancer.host(), balancer.port()), database.address(),
				(mark) -> {
					proxyB.refuseNewConnections(false);
					mark.fault();
					if (blackhole) {
						proxyA.blackhole(true);
					}
					else {
						proxyA.refuseNewConnections(true);
						proxyA.killConnections();
					}
					mark.event();
				});
	}

	/**
	 * What a scenario starts and how it injects its fault.
	 *
	 * @param target where the applications connect
	 * @param database the server that holds the data, for verification
	 * @param fault the fault injection
	 */
	record Setup(Variant.Target target, InetSocketAddress database, Fault fault) {

		List<Result> measure(String scenario) throws Exception {
			List<ConfigurableApplicationContext> contexts = new ArrayList<>();
			List<FixedRateWorkload> workloads = new ArrayList<>();
			try {
				for (Variant variant : Variant.values()) {
					ConfigurableApplicationContext context = variant.start(this.target);
					contexts.add(context);
					FixedRateWorkload workload = new FixedRateWorkload(Variant.template(context),
							scenario + ":" + variant.name());
					workloads.add(workload);
					workload.start(THREADS);
				}
				Thread.sleep(WARM_UP.toMillis());
				this.fault.inject(new Marks(workloads));
				Thread.sleep(SETTLE.toMillis());
				for (FixedRateWorkload workload : workloads) {
					workload.stop();
				}
				List<Result> results = new ArrayList<>();
				for (int i = 0; i < workloads.size(); i++) {
					results.add(Result.of(scenario, Variant.values()[i], workloads.get(i), this.database));
				}
				return results;
			}
			finally {
				contexts.forEach(ConfigurableApplicationContext::close);
			}
		}

	}

	/**
	 * Marks fault and event times on every workload.
	 *
	 * @param workloads the workloads
	 */
	record Marks(List<FixedRateWorkload> workloads) {

		void fault() {
			this.workloads.forEach(FixedRateWorkload::markFault);
		}

		void event() {
			long now = System.nanoTime();
			this.workloads.forEach((workload) -> workload.markEvent(now));
		}

	}

	@FunctionalInterface
	interface Fault {

		void inject(Marks marks) throws Exception;

	}

	@FunctionalInterface
	interface Scenario {

		Setup run(RedisLab lab) throws Exception;

	}

	/**
	 * What one variant saw in one scenario.
	 *
	 * @param scenario the scenario
	 * @param variant the variant
	 * @param firstWriteAfterEventMillis time from the event to the first successful write, {@code null} if none
	 * @param errors errors on SET/GET seen by the application
	 * @param incrementErrors INCRs that failed with an unknown outcome
	 * @param longestStallMillis the longest time without a successful write
	 * @param acknowledgedWrites writes acknowledged to the application
	 * @param lostWrites acknowledged writes not readable afterwards
	 * @param duplicateIncrements counter increments beyond acknowledged plus unknown-outcome INCRs
	 */
	record Result(String scenario, Variant variant, @Nullable Long firstWriteAfterEventMillis, long errors,
			long incrementErrors, long longestStallMillis, long acknowledgedWrites, long lostWrites,
			long duplicateIncrements) {

		static Result of(String scenario, Variant variant, FixedRateWorkload workload, InetSocketAddress database)
				throws Exception {
			long lost = 0;
			long counter;
			try (RespClient client = RespClient.connect(database, Duration.ofSeconds(5))) {
				for (Map.Entry<String, String> write : workload.acknowledged.entrySet()) {
					if (!write.getValue().equals(client.call("GET", write.getKey()))) {
						lost++;
					}
				}
				Object value = client.call("GET", workload.counterKey());
				counter = (value != null) ? Long.parseLong(value.toString()) : 0;
			}
			long duplicates = Math.max(0,
					counter - workload.acknowledgedIncrements.get() - workload.incrementErrors.get());
			Duration firstWrite = workload.firstWriteAfterEvent();
			return new Result(scenario, variant, (firstWrite != null) ? firstWrite.toMillis() : null, workload.errors.get(),
					workload.incrementErrors.get(), workload.longestStall().toMillis(), workload.acknowledged.size(),
					lost, duplicates);
		}

	}

}
