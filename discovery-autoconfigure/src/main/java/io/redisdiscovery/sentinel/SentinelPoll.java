package io.redisdiscovery.sentinel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.FailureDescriptions;
import io.redisdiscovery.topology.RedisNode;

/**
 * Asks every configured Sentinel at once where the master is. All of them, not the first that answers: the first
 * in configuration order may be the one that missed the last failover, and only the epochs of the others show it.
 * At once, so that one that hangs costs the round one timeout, not one per Sentinel behind it.
 */
final class SentinelPoll implements AutoCloseable {

	/**
	 * Connecting, the handshake, then three commands ({@code GET-MASTER-ADDR-BY-NAME}, {@code MASTER},
	 * {@code REPLICAS}), each bounded by the timeout.
	 */
	private static final int STEPS_PER_ANSWER = 5;

	/**
	 * A safety net only, each answer being bounded by its own timeouts: what those do not cover, such as setting up
	 * the client's first connections on a busy machine, which can take seconds.
	 */
	private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final SentinelClient client;

	private final SentinelSettings settings;

	private final ThreadPoolExecutor askers;

	SentinelPoll(SentinelClient client, SentinelSettings settings) {
		this.client = client;
		this.settings = settings;
		int sentinels = Math.max(1, settings.sentinels().size());
		this.askers = new ThreadPoolExecutor(sentinels, sentinels, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "redis-discovery-sentinel-ask-" + settings.masterName());
					thread.setDaemon(true);
					return thread;
				});
		this.askers.allowCoreThreadTimeOut(true);
	}

	/**
	 * Asks every Sentinel and waits for the answers, at most the time one Sentinel may take.
	 * @return the answers and the problems, in configuration order
	 */
	Round askAll() {
		Map<RedisNode, CompletableFuture<SentinelAnswer>> pending = new LinkedHashMap<>();
		for (RedisNode sentinel : this.settings.sentinels()) {
			try {
				pending.put(sentinel, CompletableFuture
					.supplyAsync(() -> this.client.ask(sentinel, this.settings.masterName()), this.askers));
			}
			catch (RejectedExecutionException ex) {
				// Closed.
				pending.put(sentinel, CompletableFuture.failedFuture(ex));
			}
		}
		long deadline = System.nanoTime() + this.settings.timeout().toNanos() * STEPS_PER_ANSWER + SLACK_NANOS;
		List<SentinelAnswer> answers = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (Map.Entry<RedisNode, CompletableFuture<SentinelAnswer>> entry : pending.entrySet()) {
			RedisNode sentinel = entry.getKey();
			try {
				answers.add(entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
			}
			catch (ExecutionException ex) {
				problems.add("Sentinel " + sentinel + " unreachable (" + FailureDescriptions.rootCause(ex)
						+ ")");
			}
			catch (TimeoutException ex) {
				entry.getValue().cancel(false);
				problems.add("Sentinel " + sentinel + " did not answer in time");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				problems.add("Sentinel " + sentinel + " not asked (interrupted)");
			}
		}
		return new Round(answers, problems);
	}

	@Override
	public void close() {
		this.askers.shutdownNow();
	}

	/**
	 * The answers of one round.
	 *
	 * @param answers the answers, in configuration order
	 * @param problems the Sentinels that failed or did not answer in time
	 */
	record Round(List<SentinelAnswer> answers, List<String> problems) {

		List<RedisNode> answering() {
			return this.answers.stream().map(SentinelAnswer::sentinel).toList();
		}

	}

}
