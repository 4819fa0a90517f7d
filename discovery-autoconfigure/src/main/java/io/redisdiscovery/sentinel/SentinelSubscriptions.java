package io.redisdiscovery.sentinel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisdiscovery.topology.FailureDescriptions;
import io.redisdiscovery.topology.RedisNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions to the failover events of every configured Sentinel. Established subscriptions reconnect and
 * resubscribe by themselves when their Sentinel restarts; a Sentinel not reachable at first is tried again at each
 * {@link #maintain()}.
 */
final class SentinelSubscriptions implements AutoCloseable {

	// The source's category: subscribing is part of its story.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final SentinelSettings settings;

	private final SentinelClient client;

	private final BiConsumer<RedisNode, SentinelEvent> onEvent;

	private final BooleanSupplier stopped;

	private final Map<RedisNode, StatefulRedisPubSubConnection<String, String>> connections = new ConcurrentHashMap<>();

	/**
	 * Creates the subscriptions, none subscribed yet.
	 * @param settings which Sentinels
	 * @param client how to subscribe
	 * @param onEvent what to do with an event, called on a Lettuce I/O thread
	 * @param stopped whether to stop subscribing
	 */
	SentinelSubscriptions(SentinelSettings settings, SentinelClient client, BiConsumer<RedisNode, SentinelEvent> onEvent,
			BooleanSupplier stopped) {
		this.settings = settings;
		this.client = client;
		this.onEvent = onEvent;
		this.stopped = stopped;
	}

	/**
	 * Subscribes to every configured Sentinel that has no subscription yet.
	 * @return whether a subscription was added
	 */
	boolean maintain() {
		int before = this.connections.size();
		for (RedisNode sentinel : this.settings.sentinels()) {
			if (this.stopped.getAsBoolean() || this.connections.containsKey(sentinel)) {
				continue;
			}
			try {
				StatefulRedisPubSubConnection<String, String> connection = this.client.subscribe(sentinel,
						new EventListener(sentinel));
				this.connections.put(sentinel, connection);
				logger.debug("Subscribed to failover events of Sentinel {}", sentinel);
			}
			catch (RuntimeException ex) {
				logger.debug("Cannot subscribe to Sentinel {} yet: {}", sentinel, FailureDescriptions.rootCause(ex));
			}
		}
		return this.connections.size() != before;
	}

	/**
	 * The Sentinels whose subscription is open now.
	 * @return their addresses, sorted
	 */
	List<String> subscribed() {
		return this.connections.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isOpen())
			.map((entry) -> entry.getKey().toString())
			.sorted()
			.toList();
	}

	@Override
	public void close() {
		this.connections.values().forEach(StatefulRedisPubSubConnection::close);
		this.connections.clear();
	}

	private final class EventListener extends RedisPubSubAdapter<String, String> {

		private final RedisNode sentinel;

		EventListener(RedisNode sentinel) {
			this.sentinel = sentinel;
		}

		@Override
		public void message(String channel, String message) {
			SentinelEvent event = SentinelEvent.parse(channel, message);
			if (event != null) {
				SentinelSubscriptions.this.onEvent.accept(this.sentinel, event);
			}
		}

	}

}
