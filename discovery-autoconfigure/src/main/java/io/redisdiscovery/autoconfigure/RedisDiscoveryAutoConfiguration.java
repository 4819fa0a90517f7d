package io.redisdiscovery.autoconfigure;

import io.github.resilience4j.retry.Retry;
import io.lettuce.core.RedisClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of a discovering, retrying Lettuce {@code RedisConnectionFactory}. Runs before Spring
 * Boot's {@link DataRedisAutoConfiguration} so that Boot's templates and health indicator use it and Boot's own
 * factory backs off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class, Retry.class })
@ConditionalOnBooleanProperty(name = "redis.discovery.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisDiscoveryProperties.class)
@Import({ DiscoveryRetryConfiguration.class, LettuceDiscoveryConfiguration.class, TopologyEventsConfiguration.class })
public final class RedisDiscoveryAutoConfiguration {

	/**
	 * Name of the Resilience4j {@link Retry} bean the starter uses; an application bean of this name replaces it.
	 */
	public static final String RETRY_BEAN_NAME = "redisDiscoveryRetry";

}
