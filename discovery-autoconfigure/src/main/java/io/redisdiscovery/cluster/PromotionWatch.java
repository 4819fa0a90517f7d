package io.redisdiscovery.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.lettuce.core.api.StatefulRedisConnection;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the replicas of a master that the client cannot reach, so that the slot map is refreshed as soon as one
 * of them is promoted. A cluster tells no client about a failover, and the refreshes that failing commands trigger
 * are spaced by {@code cluster.refresh.min-interval}: without the watch, the first write after a promotion waits for
 * the next of them.
 * <p>
 * Each replica is asked {@code ROLE} every {@value #POLL_MILLIS} ms over one connection kept for the watch, from the
 * master's first failed reconnect until the client routes to a promoted replica, the master is reachable again, or
 * {@value #LIMIT_SECONDS} s have passed (a later failed reconnect starts a new watch). Once a replica answers
 * {@code master}, the slot map is refreshed at every poll until the client routes to it: the node whose view the
 * refresh adopts may not have heard of the promotion yet. Everything a watch does runs on one thread of its own, so
 * a replica that does not answer delays only the watch.
 */
final class PromotionWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PromotionWatch.class);

	static final long POLL_MILLIS = 20;

	static final long LIMIT_SECONDS = 30;

	private final ClusterNodeQuery query;

	private final Runnable refresh;

	private final Predicate<RedisNode> routedAsMaster;

	private final ScheduledExecutorService thread;

	/** The watches in progress, by the node id of the master whose replicas they ask. */
	private final Map<String, Watch> watches = new ConcurrentHashMap<>();

	/**
	 * @param query how to reach a replica
	 * @param refresh refreshes the client's slot map
	 * @param routedAsMaster whether the client's slot map has a node (by announced address) as a master
	 */
	PromotionWatch(ClusterNodeQuery query, Runnable refresh, Predicate<RedisNode> routedAsMaster) {
		this.query = query;
		this.refresh = refresh;
		this.routedAsMaster = routedAsMaster;
		this.thread = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-promotion-watch");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Starts watching the replicas of a master the client failed to reconnect to, unless they are watched already.
	 * @param masterId the master's node id
	 * @param replicas its replicas' announced addresses
	 */
	void masterUnreachable(String masterId, List<RedisNode> replicas) {
		if (replicas.isEmpty() || this.thread.isShutdown()) {
			return;
		}
		this.watches.computeIfAbsent(masterId, (id) -> {
			logger.debug("Master {} unreachable; watching its replicas {} for a promotion", id, replicas);
			Watch watch = new Watch(id, replicas);
			try {
				watch.task = this.thread.scheduleWithFixedDelay(watch::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Closed meanwhile: nothing to watch for.
				return null;
			}
			return watch;
		});
	}

	/**
	 * Ends the watch of a master the client reached again.
	 * @param masterId the master's node id
	 */
	void masterReachable(String masterId) {
		Watch watch = this.watches.get(masterId);
		if (watch != null) {
			run(watch::end);
		}
	}

	@Override
	public void close() {
		run(() -> List.copyOf(this.watches.values()).forEach(Watch::end));
		this.thread.shutdown();
	}

	private void run(Runnable task) {
		try {
			this.thread.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed: the watches ended with it.
		}
	}

	/** One master's replicas asked in turn; used on the watch thread only. */
	private final class Watch {

		private final String masterId;

		private final List<RedisNode> replicas;

		private final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);

		private final Map<RedisNode, StatefulRedisConnection<String, String>> connections = new LinkedHashMap<>();

		private volatile @Nullable ScheduledFuture<?> task;

		private boolean ended;

		private boolean promotionSeen;

		Watch(String masterId, List<RedisNode> replicas) {
			this.masterId = masterId;
			this.replicas = replicas;
		}

		void poll() {
			if (this.ended) {
				// Ended before its task was known to it: stop the repetition now.
				cancel();
				return;
			}
			try {
				pollReplicas();
			}
			catch (RuntimeException ex) {
				// A scheduled task that throws is never run again, and the watch would miss the promotion.
				logger.debug("Watching the replicas of master {} failed; asking again", this.masterId, ex);
			}
		}

		private void pollReplicas() {
			if (System.nanoTime() - this.deadlineNanos > 0) {
				logger.debug("No replica of master {} was promoted within {} s", this.masterId, LIMIT_SECONDS);
				end();
				return;
			}
			for (RedisNode replica : this.replicas) {
				if (PromotionWatch.this.routedAsMaster.test(replica)) {
					end();
					return;
				}
				if (isMaster(replica)) {
					if (!this.promotionSeen) {
						this.promotionSeen = true;
						logger.info("Replica {} of unreachable master {} was promoted; refreshing the slot map", replica,
								this.masterId);
					}
					PromotionWatch.this.refresh.run();
					return;
				}
			}
		}

		private boolean isMaster(RedisNode replica) {
			try {
				StatefulRedisConnection<String, String> connection = this.connections.computeIfAbsent(replica,
						PromotionWatch.this.query::connect);
				List<Object> role = connection.sync().role();
				return !role.isEmpty() && "master".equals(String.valueOf(role.get(0)));
			}
			catch (RuntimeException ex) {
				logger.debug("Replica {} did not answer ROLE", replica, ex);
				StatefulRedisConnection<String, String> broken = this.connections.remove(replica);
				if (broken != null) {
					broken.closeAsync();
				}
				return false;
			}
		}

		void end() {
			this.ended = true;
			PromotionWatch.this.watches.remove(this.masterId, this);
			cancel();
			this.connections.values().forEach(StatefulRedisConnection::closeAsync);
			this.connections.clear();
		}

		private void cancel() {
			ScheduledFuture<?> task = this.task;
			if (task != null) {
				task.cancel(false);
			}
		}

	}

}
