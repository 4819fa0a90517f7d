package io.redisdiscovery.retry;

import java.time.Duration;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.ChannelListener;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber whose connection is being reconnected when the connections move stays one the factory moves: Lettuce
 * reports such a connection as not open, which is not closed.
 */
@ExtendWith(RedisLabExtension.class)
class SubscriberMoveIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@Test
	void aSubscriberReconnectingDuringAMoveShouldBeMovedByTheNextOne(RedisLab lab) {
		RedisServer server = lab.startServer();
		TcpProxy proxy = lab.startProxy(server.address());
		DiscoveryContextRunners.withStarter(proxy.port()).run((context) -> {
			RetryingLettuceConnectionFactory factory = context.getBean(RetryingLettuceConnectionFactory.class);
			try (ChannelListener listener = new ChannelListener(factory, "news")) {
				await("the subscription").atMost(DEADLINE).until(() -> listener.publish(server, "before") > 0);
				proxy.refuseNewConnections(true);
				proxy.killConnections();
				await("the subscriber cut off").atMost(DEADLINE).until(factory::isSubscriberCutOff);
				factory.moveConnections();
				proxy.refuseNewConnections(false);
				await("the subscription back").atMost(DEADLINE).until(() -> listener.publish(server, "back") > 0);
				assertThat(factory.isSubscriberCutOff()).isFalse();
				assertThat(factory.reconnectSubscribers()).as("subscribers the next move reaches").isEqualTo(1);
				await("a message after the next move").atMost(DEADLINE)
					.until(() -> listener.publish(server, "after") > 0 && listener.hasReceived("after"));
			}
		});
	}

}
