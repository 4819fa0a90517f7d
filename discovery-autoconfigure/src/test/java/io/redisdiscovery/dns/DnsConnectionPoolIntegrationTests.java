package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pooled connections leave an address when the record set no longer has it, as the shared connection does: no idle
 * pooled connection stays on the drained address to be handed out later.
 */
@ExtendWith(RedisLabExtension.class)
class DnsConnectionPoolIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(1);

	@Test
	void idlePooledConnectionsShouldLeaveAnAddressRemovedFromTheRecordSet(RedisLab lab) {
		DnsLab dns = new DnsLab(lab);
		dns.records(TTL, "127.0.0.11");
		dns.contextRunner().run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			TcpProxy old = dns.proxy("127.0.0.11");
			assertThat(redis.execute(transaction("dns:before"))).hasSize(1);
			// The shared connection and the idle pooled one of the transaction.
			assertThat(context.getBean(RetryingLettuceConnectionFactory.class).pooledConnections()).isEqualTo(2);
			assertThat(old.activeConnections()).isGreaterThanOrEqualTo(2);
			dns.records(TTL, "127.0.0.12");
			await("connections left the old address").atMost(Duration.ofSeconds(10))
				.until(() -> old.activeConnections() == 0);
			assertThat(redis.execute(transaction("dns:after"))).hasSize(1);
			assertThat(old.activeConnections()).isZero();
			assertThat(dns.proxy("127.0.0.12").activeConnections()).isGreaterThanOrEqualTo(2);
		});
	}

	private static SessionCallback<List<Object>> transaction(String key) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
				operations.multi();
				operations.opsForValue().set((K) key, (V) "1");
				return operations.exec();
			}

		};
	}

}
