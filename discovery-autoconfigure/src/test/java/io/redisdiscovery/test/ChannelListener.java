package io.redisdiscovery.test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.redisdiscovery.lab.RedisServer;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * An application's Pub/Sub listener: a {@link RedisMessageListenerContainer} on one channel that keeps what it
 * receives. Messages are published on the lab server itself, whose reply counts the subscribers that got them.
 */
public final class ChannelListener implements AutoCloseable {

	private final String channel;

	private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

	private final Queue<String> received = new ConcurrentLinkedQueue<>();

	/**
	 * Subscribes through the factory.
	 * @param connectionFactory the factory under test
	 * @param channel the channel
	 */
	public ChannelListener(RedisConnectionFactory connectionFactory, String channel) {
		this.channel = channel;
		this.container.setConnectionFactory(connectionFactory);
		this.container.addMessageListener((message, pattern) -> this.received.add(new String(message.getBody())),
				new ChannelTopic(channel));
		this.container.afterPropertiesSet();
		this.container.start();
	}

	/**
	 * Publishes on the server.
	 * @param server the server the listener should be subscribed on
	 * @param message the message
	 * @return how many subscribers the server delivered it to
	 */
	public long publish(RedisServer server, String message) {
		return (Long) server.command("PUBLISH", this.channel, message);
	}

	/**
	 * Whether the listener received a message.
	 * @param message the message
	 * @return whether it arrived
	 */
	public boolean hasReceived(String message) {
		return this.received.contains(message);
	}

	@Override
	public void close() throws Exception {
		this.container.destroy();
	}

}
