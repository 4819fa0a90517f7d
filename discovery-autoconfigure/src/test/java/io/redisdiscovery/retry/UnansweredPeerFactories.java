package io.redisdiscovery.retry;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Started factories whose command and connect timeouts are 30 s, far beyond a test's deadlines: anything that waits
 * for a peer that accepts and never answers (a frozen backend, a hung master) misses them.
 */
final class UnansweredPeerFactories {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private UnansweredPeerFactories() {
	}

	/**
	 * A started factory; the caller destroys it.
	 * @param server where the factory connects
	 * @param client the test's own client settings; the timeouts are set here
	 * @return the factory
	 */
	static RetryingLettuceConnectionFactory start(RedisStandaloneConfiguration server,
			LettuceClientConfigurationBuilder client) {
		RetryingLettuceConnectionFactory factory = new RetryingLettuceConnectionFactory(server,
				client.commandTimeout(TIMEOUT)
					.clientOptions(ClientOptions.builder()
						.socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
						.build())
					.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
