package io.redisdiscovery.retry;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ClusterCommandExecutor;
import org.springframework.data.redis.connection.ClusterTopologyProvider;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * A {@link LettuceConnectionFactory} whose connections wait for each command until Lettuce's command expiry ends
 * it, instead of cancelling it after the one command timeout of the factory.
 * <p>
 * Spring Data Redis' {@code LettuceConnection} awaits every reply for at most the factory's command timeout, the
 * same for {@code GET} and for {@code BLPOP key 5}, so a {@link BlockingCommandTimeouts} given to Lettuce would never
 * come into play. When the client options expire commands through their own source (not the connection timeout),
 * that source bounds every command and the factory's await is lifted. The command timeout still bounds connecting
 * and the handshake, which Spring Data Redis reads from the same setting.
 *
 * @since 0.1.0
 */
public class ExpiryBoundLettuceConnectionFactory extends LettuceConnectionFactory {

	/**
	 * Creates a factory.
	 * @param configuration the standalone, Sentinel, master/replica or cluster configuration
	 * @param clientConfiguration the client configuration
	 */
	public ExpiryBoundLettuceConnectionFactory(RedisConfiguration configuration,
			LettuceClientConfiguration clientConfiguration) {
		super(configuration, clientConfiguration);
	}

	/**
	 * The await of each connection in milliseconds: {@code 0} (no bound of its own) when Lettuce expires every
	 * command.
	 */
	@Override
	public long getTimeout() {
		return expiresEveryCommand() ? 0 : super.getTimeout();
	}

	@Override
	protected LettuceClusterConnection doCreateLettuceClusterConnection(
			@Nullable StatefulRedisClusterConnection<byte[], byte[]> sharedConnection,
			LettuceConnectionProvider connectionProvider, ClusterTopologyProvider topologyProvider,
			ClusterCommandExecutor clusterCommandExecutor, Duration commandTimeout) {
		return super.doCreateLettuceClusterConnection(sharedConnection, connectionProvider, topologyProvider,
				clusterCommandExecutor, expiresEveryCommand() ? Duration.ZERO : commandTimeout);
	}

	/**
	 * Whether Lettuce expires every command by a timeout source of its own. With timeouts off nothing else would
	 * bound a command, and the connection's timeout is the factory's command timeout anyway: both keep the await.
	 */
	private boolean expiresEveryCommand() {
		TimeoutOptions options = getClientConfiguration().getClientOptions()
			.map(ClientOptions::getTimeoutOptions)
			.orElse(null);
		return options != null && options.isTimeoutCommands() && !options.isApplyConnectionTimeout()
				&& options.getSource() != null;
	}

}
