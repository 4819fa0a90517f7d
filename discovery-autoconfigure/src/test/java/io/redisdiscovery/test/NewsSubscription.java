package io.redisdiscovery.test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import reactor.core.Disposable;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * An application's subscription to the channel {@value #CHANNEL}, through the blocking or the reactive listener
 * container of Spring Data, for tests that run the same checks on both.
 *
 * @param received whether a message arrived
 * @param unsubscribe ends it
 */
public record NewsSubscription(Predicate<String> received, AutoCloseable unsubscribe) implements AutoCloseable {

	/** The channel subscribed to. */
	public static final String CHANNEL = "news";

	/**
	 * Subscribes through Spring Data's {@code RedisMessageListenerContainer}.
	 * @param context the application
	 * @return the subscription
	 */
	public static NewsSubscription listenerContainer(ApplicationContext context) {
		ChannelListener listener = new ChannelListener(context.getBean(RedisConnectionFactory.class), CHANNEL);
		return new NewsSubscription(listener::hasReceived, listener);
	}

	/**
	 * Subscribes through Spring Data's {@code ReactiveRedisMessageListenerContainer}.
	 * @param context the application
	 * @return the subscription
	 */
	public static NewsSubscription reactiveListenerContainer(ApplicationContext context) {
		Queue<String> received = new ConcurrentLinkedQueue<>();
		ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
				context.getBean(ReactiveRedisConnectionFactory.class));
		Disposable subscription = container.receive(ChannelTopic.of(CHANNEL))
			.subscribe((message) -> received.add(message.getMessage()));
		return new NewsSubscription(received::contains, () -> {
			subscription.dispose();
			container.destroy();
		});
	}

	@Override
	public void close() throws Exception {
		this.unsubscribe.close();
	}

}
