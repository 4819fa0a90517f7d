package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.Optional;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * A client configuration identical to another one except for where reads go.
 *
 * @since 0.1.0
 */
public final class ReadFromClientConfiguration implements LettuceClientConfiguration {

	private final LettuceClientConfiguration delegate;

	private final ReadFrom readFrom;

	/**
	 * Creates a configuration.
	 * @param delegate the configuration to copy
	 * @param readFrom where reads go
	 */
	public ReadFromClientConfiguration(LettuceClientConfiguration delegate, ReadFrom readFrom) {
		this.delegate = delegate;
		this.readFrom = readFrom;
	}

	@Override
	public Optional<ReadFrom> getReadFrom() {
		return Optional.of(this.readFrom);
	}

	@Override
	public boolean isUseSsl() {
		return this.delegate.isUseSsl();
	}

	@Override
	public boolean isVerifyPeer() {
		return this.delegate.isVerifyPeer();
	}

	@Override
	public SslVerifyMode getVerifyMode() {
		return this.delegate.getVerifyMode();
	}

	@Override
	public boolean isStartTls() {
		return this.delegate.isStartTls();
	}

	@Override
	public Optional<ClientResources> getClientResources() {
		return this.delegate.getClientResources();
	}

	@Override
	public Optional<ClientOptions> getClientOptions() {
		return this.delegate.getClientOptions();
	}

	@Override
	public Optional<String> getClientName() {
		return this.delegate.getClientName();
	}

	@Override
	public Optional<RedisCredentialsProviderFactory> getRedisCredentialsProviderFactory() {
		return this.delegate.getRedisCredentialsProviderFactory();
	}

	@Override
	public Duration getCommandTimeout() {
		return this.delegate.getCommandTimeout();
	}

	@Override
	public Duration getShutdownTimeout() {
		return this.delegate.getShutdownTimeout();
	}

	@Override
	public Duration getShutdownQuietPeriod() {
		return this.delegate.getShutdownQuietPeriod();
	}

}
