package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulConnection;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guard's check that a new connection answers, before a stalled shared connection is replaced, with a dial that
 * hangs as it does to a frozen server (a fake: only the order of checks is under test).
 */
class SharedConnectionsTests {

	@Test
	void decisionsWhileACheckRunsShouldBeLeftToIt() throws Exception {
		AtomicInteger dials = new AtomicInteger();
		CountDownLatch thaw = new CountDownLatch(1);
		LettuceConnectionProvider frozen = new LettuceConnectionProvider() {

			@Override
			public <T extends StatefulConnection<?, ?>> T getConnection(Class<T> connectionType) {
				dials.incrementAndGet();
				try {
					thaw.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				throw new RedisConnectionFailureException("no answer");
			}

			@Override
			public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(
					Class<T> connectionType) {
				throw new UnsupportedOperationException();
			}

		};
		AtomicInteger replaced = new AtomicInteger();
		try (SharedConnections shared = new SharedConnections(
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build())) {
			shared.watchForSilence(frozen, List::of, () -> {
			});
			for (int i = 0; i < 5; i++) {
				shared.replaceUnlessServerSilent(replaced::incrementAndGet);
			}
			// Five decisions, one check: each check races dials to the server, which would find them all at its thaw.
			await("one check").during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(5))
				.until(() -> dials.get() == 1);
			thaw.countDown();
			// Once the check has ended, the next decision checks again.
			await("a second check").atMost(Duration.ofSeconds(5)).until(() -> {
				shared.replaceUnlessServerSilent(replaced::incrementAndGet);
				return dials.get() == 2;
			});
			assertThat(replaced).as("replacements of a connection to a server that does not answer").hasValue(0);
		}
	}

}
