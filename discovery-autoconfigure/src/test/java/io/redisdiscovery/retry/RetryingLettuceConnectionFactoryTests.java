package io.redisdiscovery.retry;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryingLettuceConnectionFactoryTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void getTimeoutWhenLettuceExpiresEveryCommandShouldLeaveTheBoundToLettuce() {
		TimeoutOptions blockingAware = TimeoutOptions.builder()
			.timeoutSource(new BlockingCommandTimeouts(COMMAND_TIMEOUT))
			.build();
		assertThat(factory(blockingAware).getTimeout()).isZero();
		assertThat(factory(TimeoutOptions.enabled(COMMAND_TIMEOUT)).getTimeout()).isZero();
	}

	@Test
	void getTimeoutWhenLettuceUsesTheConnectionTimeoutOrNoneShouldKeepTheCommandTimeout() {
		assertThat(factory(TimeoutOptions.enabled()).getTimeout()).isEqualTo(COMMAND_TIMEOUT.toMillis());
		assertThat(factory(TimeoutOptions.create()).getTimeout()).isEqualTo(COMMAND_TIMEOUT.toMillis());
	}

	private static RetryingLettuceConnectionFactory factory(TimeoutOptions timeoutOptions) {
		return new RetryingLettuceConnectionFactory(new RedisStandaloneConfiguration(),
				LettuceClientConfiguration.builder()
					.commandTimeout(COMMAND_TIMEOUT)
					.clientOptions(ClientOptions.builder().timeoutOptions(timeoutOptions).build())
					.build());
	}

}
