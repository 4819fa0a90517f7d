package io.redisdiscovery.autoconfigure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.redisdiscovery.topology.RedisTopologyChangedEvent;
import io.redisdiscovery.topology.TopologyChange;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each topology change as a {@link RedisTopologyChangedEvent}, in order, on a thread of its own. A source
 * calls its listeners while it is still at work: moving connections, and in Sentinel mode holding writes until the new
 * master is confirmed. An application listener that writes to Redis on that thread would wait for a release that its
 * own thread has to give, so the application's listeners run here instead, where such a write simply waits for the
 * hold like any other and then goes to the new master.
 */
final class TopologyChangedEventRelay implements Consumer<TopologyChange>, AutoCloseable {

	private final TopologySource source;

	private final ApplicationEventPublisher publisher;

	private final ExecutorService events = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "redis-discovery-events");
		thread.setDaemon(true);
		return thread;
	});

	TopologyChangedEventRelay(TopologySource source, ApplicationEventPublisher publisher) {
		this.source = source;
		this.publisher = publisher;
	}

	@Override
	public void accept(TopologyChange change) {
		this.events.execute(() -> this.publisher.publishEvent(new RedisTopologyChangedEvent(this.source, change)));
	}

	@Override
	public void close() {
		this.events.shutdownNow();
	}

}
