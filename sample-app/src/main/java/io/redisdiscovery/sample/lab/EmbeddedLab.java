package io.redisdiscovery.sample.lab;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.redisdiscovery.lab.RedisLab;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo deployment the sample starts on loopback, and the faults injected into it one at a time in the background.
 */
public final class EmbeddedLab implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedLab.class);

	/**
	 * The values of {@code sample.lab.topology} that start a lab.
	 */
	public static final List<String> TOPOLOGIES = List.of("standalone", "dns", "sentinel", "cluster",
			"load-balancer");

	private final RedisLab lab;

	private final LabTopology topology;

	private final ExecutorService faultRunner = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "sample-lab-faults");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicReference<@Nullable String> faultInProgress = new AtomicReference<>();

	private volatile @Nullable FaultOutcome lastFault;

	private EmbeddedLab(RedisLab lab, LabTopology topology) {
		this.lab = lab;
		this.topology = topology;
	}

	/**
	 * Starts the named topology and waits until it is ready.
	 */
	public static EmbeddedLab start(String topology) {
		RedisLab lab = new RedisLab();
		try {
			return new EmbeddedLab(lab, switch (topology) {
				case "standalone" -> new StandaloneLabTopology(lab);
				case "dns" -> new DnsLabTopology(lab);
				case "sentinel" -> new SentinelLabTopology(lab);
				case "cluster" -> new ClusterLabTopology(lab);
				case "load-balancer" -> new LoadBalancerLabTopology(lab);
				default -> throw new IllegalArgumentException("Unknown lab topology '" + topology + "'");
			});
		}
		catch (RuntimeException ex) {
			lab.close();
			throw ex;
		}
	}

	public String topology() {
		return this.topology.name();
	}

	public Map<String, String> discoveryProperties() {
		return this.topology.discoveryProperties();
	}

	public List<LabFault> faults() {
		return this.topology.faults();
	}

	/**
	 * Reads {@code key} straight from the node the deployment itself names as its primary, bypassing the starter.
	 */
	public @Nullable Object readFromPrimary(String key) {
		return this.topology.primaryFor(key).command("GET", key);
	}

	public @Nullable String faultInProgress() {
		return this.faultInProgress.get();
	}

	public @Nullable FaultOutcome lastFault() {
		return this.lastFault;
	}

	/**
	 * Starts injecting the named fault in the background and returns at once.
	 * @throws UnknownFaultException if this topology has no such fault
	 * @throws FaultInProgressException if the lab is still recovering from the previous fault
	 */
	public void inject(String fault) {
		if (this.faults().stream().noneMatch((candidate) -> candidate.name().equals(fault))) {
			throw new UnknownFaultException(topology(), fault);
		}
		if (!this.faultInProgress.compareAndSet(null, fault)) {
			throw new FaultInProgressException(String.valueOf(this.faultInProgress.get()));
		}
		Instant startedAt = Instant.now();
		this.faultRunner.execute(() -> {
			String error = null;
			try {
				logger.info("Injecting fault '{}' into the {} lab", fault, topology());
				this.topology.inject(fault);
			}
			catch (RuntimeException ex) {
				logger.warn("Fault '{}' did not complete", fault, ex);
				error = ex.getMessage();
			}
			finally {
				this.lastFault = new FaultOutcome(fault, startedAt, Instant.now(), error);
				this.faultInProgress.set(null);
			}
		});
	}

	@Override
	public void close() {
		this.faultRunner.shutdownNow();
		try {
			this.faultRunner.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.lab.close();
	}

	@Override
	public String toString() {
		return "EmbeddedLab[" + topology() + "]";
	}

	/**
	 * How the last fault went.
	 *
	 * @param name the fault
	 * @param startedAt when it was injected
	 * @param recoveredAt when the deployment had recovered (or the injection failed)
	 * @param error why the injection or the recovery failed, or {@code null}
	 */
	public record FaultOutcome(String name, Instant startedAt, Instant recoveredAt, @Nullable String error) {

	}

}
