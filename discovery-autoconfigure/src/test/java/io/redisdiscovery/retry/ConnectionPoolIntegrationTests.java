package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Dedicated connections (transactions, blocking commands) come from a pool when commons-pool2 is present, and a
 * pooled connection carries nothing of its previous user.
 */
@ExtendWith(RedisLabExtension.class)
class ConnectionPoolIntegrationTests {

	private static final int TRANSACTIONS = 30;

	@Test
	void sequentialTransactionsShouldOpenNoMoreConnectionsThanMaxIdleWhenPooled(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port())
			.withPropertyValues("redis.discovery.pool.max-idle=2")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("warm", "up");
				long before = connectionsReceived(server);
				for (int i = 0; i < TRANSACTIONS; i++) {
					assertThat(redis.execute(transaction("tx", "v" + i))).hasSize(2);
					assertThat(redis.opsForList().leftPop(pushed(redis, "queue"), Duration.ofSeconds(1)))
						.isEqualTo("job");
				}
				assertThat(connectionsOpenedSince(server, before)).isLessThanOrEqualTo(2);
				assertThat(context.getBean(RetryingLettuceConnectionFactory.class).pooledConnections())
					.isBetween(1, 3);
			});
	}

	@Test
	void eachTransactionShouldOpenItsOwnConnectionWhenPoolingIsDisabled(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port())
			.withPropertyValues("redis.discovery.pool.enabled=false")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("warm", "up");
				long before = connectionsReceived(server);
				for (int i = 0; i < TRANSACTIONS; i++) {
					redis.execute(transaction("tx", "v" + i));
				}
				assertThat(connectionsOpenedSince(server, before)).isGreaterThanOrEqualTo(TRANSACTIONS);
				assertThat(context.getBean(RetryingLettuceConnectionFactory.class).pooledConnections()).isEqualTo(-1);
			});
	}

	@Test
	void watchLeftWithoutExecShouldNotAbortTheNextTransactionOnThePooledConnection(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("watched", "before");
			redis.execute(new SessionCallback<@Nullable Object>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> @Nullable Object execute(RedisOperations<K, V> operations) throws DataAccessException {
					// The caller watches and gives up without EXEC, DISCARD or UNWATCH.
					operations.watch((K) "watched");
					return null;
				}

			});
			// Another client changes the key the abandoned WATCH was on.
			redis.opsForValue().set("watched", "changed");
			List<Object> results = redis.execute(transaction("written", "yes"));
			assertThat(results).hasSize(2);
			assertThat(server.command("GET", "written")).isEqualTo("yes");
		});
	}

	@Test
	void connectionOnWhichACommandFailedShouldBeClosedNotPooled(RedisLab lab) {
		RedisServer server = lab.startServer();
		DiscoveryContextRunners.withStarter(server.port()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("not-a-list", "text");
			redis.opsForList().leftPop(pushed(redis, "queue"), Duration.ofSeconds(1));
			long before = connectionsReceived(server);
			assertThatException()
				.isThrownBy(() -> redis.opsForList().leftPop("not-a-list", Duration.ofSeconds(1)));
			assertThat(redis.opsForList().leftPop(pushed(redis, "queue"), Duration.ofSeconds(1))).isEqualTo("job");
			// The failed pop's connection was closed; the next pop needed a new one.
			assertThat(connectionsOpenedSince(server, before)).isEqualTo(1);
		});
	}

	private static String pushed(StringRedisTemplate redis, String key) {
		redis.opsForList().leftPush(key, "job");
		return key;
	}

	private static SessionCallback<List<Object>> transaction(String key, String value) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
				operations.multi();
				operations.opsForValue().set((K) key, (V) value);
				operations.opsForValue().set((K) (key + ":copy"), (V) value);
				return operations.exec();
			}

		};
	}

	private static long connectionsReceived(RedisServer server) {
		String value = server.infoValue("stats", "total_connections_received");
		assertThat(value).isNotNull();
		return Long.parseLong(value);
	}

	/** Connections the server accepted since {@code before}, not counting the lab's own one for this INFO. */
	private static long connectionsOpenedSince(RedisServer server, long before) {
		return connectionsReceived(server) - before - 1;
	}

}
