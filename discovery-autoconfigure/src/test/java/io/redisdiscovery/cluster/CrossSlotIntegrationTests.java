package io.redisdiscovery.cluster;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Calls Spring Data runs as several commands when their keys live on different nodes: when a later command cannot
 * reach its node, the earlier ones were applied, so the call must fail once instead of being repeated whole (each
 * repeat of an {@code RPOPLPUSH} would pop another element and lose it), on the blocking and the reactive API.
 */
@ExtendWith(RedisLabExtension.class)
class CrossSlotIntegrationTests {

	@ParameterizedTest(name = "reactive: {0}")
	@ValueSource(booleans = { false, true })
	void crossSlotMoveWhoseSecondNodeIsUnreachableShouldFailOnceAndPopOnce(boolean reactive, RedisLab lab) {
		ProxiedCluster proxied = ProxiedCluster.start(lab);
		RedisServer sourceNode = proxied.cluster().masters().get(0);
		RedisServer destinationNode = proxied.cluster().masters().get(1);
		String source = proxied.keyServedBy(sourceNode, "source-");
		String destination = proxied.keyServedBy(destinationNode, "destination-");
		sourceNode.command("RPUSH", source, "x1", "x2", "x3", "x4");
		proxied.starter("redis.discovery.retry.max-attempts=5").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			ReactiveStringRedisTemplate reactiveRedis = new ReactiveStringRedisTemplate(
					context.getBean(ReactiveRedisConnectionFactory.class));
			assertThat(redis.opsForList().size(destination)).isZero();
			assertThat(reactiveRedis.opsForList().size(destination).block()).isZero();
			TcpProxy destinationProxy = proxied.proxies().get(destinationNode);
			destinationProxy.refuseNewConnections(true);
			destinationProxy.killConnections();

			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> {
				if (reactive) {
					reactiveRedis.opsForList().rightPopAndLeftPush(source, destination).block();
				}
				else {
					redis.opsForList().rightPopAndLeftPush(source, destination);
				}
			});
			assertThat(sourceNode.command("LLEN", source)).as("elements left after one failed move").isEqualTo(3L);
		});
	}

}
