package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.resilience4j.retry.Retry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.SocketAddressResolver;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.redisdiscovery.retry.BlockingCommandTimeouts;
import io.redisdiscovery.retry.CommandRetry;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.HandshakeDeadline;
import io.redisdiscovery.retry.ReconnectAtOnce;
import io.redisdiscovery.retry.RecoveryAction;
import io.redisdiscovery.retry.RetryWakeup;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.retry.StalledConnectionGuard;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.LettuceCompatibility;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.ResolvingClientResources;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

/**
 * Builds the {@link RetryingLettuceConnectionFactory} for the configured {@link DiscoveryMode}, asking the mode's
 * {@link DiscoveryModeSupport} for everything that differs between modes.
 */
@Configuration(proxyBeanMethods = false)
class LettuceDiscoveryConfiguration {

	/** Consecutive command timeouts after which a connection is considered dead and replaced. */
	private static final int STALLED_TIMEOUTS = 2;

	/** Short against {@code reconnect.min-delay} (20 ms by default), at a cost of 100 wake-ups a second. */
	private static final long TIMER_TICK_MILLIS = 10;

	/**
	 * Lettuce's timer, which runs every reconnect and command timeout. Its default tick of 100 ms would hold each
	 * reconnect until the next tick, whatever its delay: a server accepting again would be seen up to 100 ms late.
	 * Stopped after the resources shut down, as Lettuce leaves a timer it was given running.
	 */
	@Bean(destroyMethod = "stop")
	@ConditionalOnMissingBean(ClientResources.class)
	HashedWheelTimer lettuceTimer() {
		return new HashedWheelTimer(new DefaultThreadFactory("lettuce-timer", true), TIMER_TICK_MILLIS,
				TimeUnit.MILLISECONDS);
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean(ClientResources.class)
	DefaultClientResources lettuceClientResources(RedisDiscoveryProperties properties, HashedWheelTimer lettuceTimer,
			ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		RedisDiscoveryProperties.Reconnect reconnect = properties.getReconnect();
		RedisDiscoveryPropertiesValidator.validateReconnect(reconnect);
		DefaultClientResources.Builder builder = DefaultClientResources.builder()
			.timer(lettuceTimer)
			.reconnectDelay(new JitteredReconnectDelay(reconnect.getMinDelay(), reconnect.getMaxDelay()));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * The settings every other bean connects with, settled once from {@code redis.discovery.*}, connection
	 * details or {@code spring.data.redis.*}.
	 */
	@Bean
	DiscoverySettings redisDiscoverySettings(RedisDiscoveryProperties properties, Environment environment,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, ObjectProvider<SslBundles> sslBundles) {
		return DiscoverySettingsResolver.resolve(properties, environment, connectionDetails.getIfAvailable(),
				sslBundles);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(TopologySource.class)
	TopologySource redisTopologySource(DiscoverySettings settings, ClientResources clientResources,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		RedisDiscoveryProperties properties = settings.properties();
		ClientOptions options = clientOptions(properties, settings.modeSupport(), settings.sslBundle(),
				optionsCustomizers);
		Function<@Nullable String, NodeProbe> probe = (serverName) -> new NodeProbe(clientResources, options,
				DataNodeConfigurations.credentials(properties),
				properties.getTimeout().getCommand(), properties.getSsl().isEnabled(), serverName);
		return settings.modeSupport().topologySource(properties, clientResources, options, probe, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	RetryingLettuceConnectionFactory redisConnectionFactory(DiscoverySettings settings,
			ClientResources clientResources, TopologySource topology,
			@Qualifier(RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME) ObjectProvider<Retry> retry,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers, ResourceLoader resourceLoader) {
		RedisDiscoveryProperties properties = settings.properties();
		DiscoveryModeSupport modeSupport = settings.modeSupport();
		RetryWakeup wakeup = new RetryWakeup();
		HandshakeDeadline handshakes = new HandshakeDeadline();
		ClientResources resources = factoryResources(clientResources, topology, properties.getReconnect(), wakeup,
				handshakes);
		LettuceClientConfiguration clientConfiguration = clientConfiguration(properties, modeSupport, resources,
				settings.sslBundle(), configurationCustomizers, optionsCustomizers);
		RetryingLettuceConnectionFactory factory = modeSupport.connectionFactory(properties, clientConfiguration,
				topology);
		factory.setPoolSettings(ConnectionPoolSupport.poolSettings(properties.getPool(), resourceLoader.getClassLoader()));
		factory.setCommandRetry(commandRetry(properties, retry.getIfAvailable(),
				recoveryAction(properties, factory, topology), topology, wakeup));
		factory.setHandshakeDeadline(handshakes);
		topology.bind(factory::moveConnections);
		// A subscriber cut off from its server waits for the reconnect as much as a retry does.
		wakeup.countAlsoWaiting(factory::isSubscriberCutOff);
		Disposable wakeups = wakeRetriesOnRecovery(wakeup, resources, topology);
		factory.setOnDestroy(() -> {
			wakeups.dispose();
			// Leaves the application's shared parts (event loops, timer, event bus) running.
			resources.shutdown(0, 2, TimeUnit.SECONDS);
		});
		return factory;
	}

	@Bean
	@ConditionalOnBean(RetryingLettuceConnectionFactory.class)
	@ConditionalOnProperty(name = "redis.discovery.startup", havingValue = "fail-fast")
	RedisStartupCheck redisStartupCheck(RetryingLettuceConnectionFactory connectionFactory, TopologySource topology,
			DiscoverySettings settings) {
		return new RedisStartupCheck(connectionFactory, topology, settings.mode());
	}

	/**
	 * After each failed attempt, replace a connection that stopped answering; before each retry, let the topology
	 * source react (for example re-discover after {@code READONLY}).
	 */
	private static RecoveryAction recoveryAction(RedisDiscoveryProperties properties,
			RetryingLettuceConnectionFactory factory, TopologySource topology) {
		Duration commandTimeout = properties.getTimeout().getCommand();
		StalledConnectionGuard guard = new StalledConnectionGuard(STALLED_TIMEOUTS,
				commandTimeout.multipliedBy(STALLED_TIMEOUTS + 1), factory::replaceStalledConnection);
		return new RecoveryAction() {

			@Override
			public void afterFailure(FailureKind kind, Throwable failure) {
				guard.afterFailure(kind, failure);
			}

			@Override
			public void afterSuccess() {
				guard.afterSuccess();
			}

			@Override
			public void beforeRetry(FailureKind kind, Throwable failure) {
				topology.onCommandFailure(kind, failure);
			}

		};
	}

	/**
	 * The factory's own resources: the topology source chooses the address of every (re)connect and watches the
	 * channels if it wants to, a lost connection is reconnected at a short pace while a retry or a subscriber waits
	 * for it (and at once when a retry starts waiting for a reconnect scheduled while nobody did, or when the starter
	 * closed the channel on purpose), and a handshake is cut short while the factory suspects a dead path.
	 */
	private static ClientResources factoryResources(ClientResources clientResources, TopologySource topology,
			RedisDiscoveryProperties.Reconnect reconnect, RetryWakeup wakeup, HandshakeDeadline handshakes) {
		SocketAddressResolver resolver = topology.addressResolver();
		IdleReconnects idleReconnects = new IdleReconnects(clientResources.timer());
		wakeup.onWaitStarted(idleReconnects::runNow);
		return ResolvingClientResources.create(clientResources,
				(resolver != null) ? resolver : clientResources.socketAddressResolver(),
				ResolvingClientResources.both(handshakes,
						ResolvingClientResources.both(new ReconnectAtOnce(), topology.nettyCustomizer())),
				idleReconnects,
				() -> new DemandPacedReconnectDelay(clientResources.reconnectDelay(), wakeup::hasWaiters,
						reconnect.getMinDelay(), idleReconnects::nextIsIdleBackoff, ReconnectAtOnce::asked));
	}

	/**
	 * A retry waiting out its backoff goes as soon as a connection comes up (a reconnect succeeded, a new connection
	 * was accepted) or the topology changes, instead of when its timer ends.
	 */
	private static Disposable wakeRetriesOnRecovery(RetryWakeup wakeup, ClientResources resources,
			TopologySource topology) {
		topology.addListener((change) -> wakeup.topologyChanged());
		return resources.eventBus()
			.get()
			.filter(ConnectionActivatedEvent.class::isInstance)
			.subscribe((event) -> wakeup.signal());
	}

	private static @Nullable CommandRetry commandRetry(RedisDiscoveryProperties properties, @Nullable Retry retry,
			RecoveryAction recoveryAction, TopologySource topology, RetryWakeup wakeup) {
		if (retry == null) {
			return null;
		}
		return new CommandRetry(retry, properties.getRetry().isNonIdempotentCommands(), recoveryAction,
				topology.writeGuard(), wakeup);
	}

	private static LettuceClientConfiguration clientConfiguration(RedisDiscoveryProperties properties,
			DiscoveryModeSupport modeSupport, ClientResources clientResources, @Nullable SslBundle sslBundle,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder()
			.clientResources(clientResources)
			.commandTimeout(properties.getTimeout().getCommand())
			.clientOptions(clientOptions(properties, modeSupport, sslBundle, optionsCustomizers));
		if (properties.getSsl().isEnabled()) {
			builder.useSsl();
		}
		if (properties.getClientName() != null) {
			builder.clientName(properties.getClientName());
		}
		modeSupport.configure(builder, properties);
		configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * TCP keepalive after the given idle time, then three probes a third of it apart. Lettuce's default idle time is
	 * two hours: a subscription to a peer that died without a reset would look open for that long.
	 */
	static KeepAliveOptions keepAlive(Duration idle) {
		Duration interval = Duration.ofSeconds(Math.max(1, idle.toSeconds() / 3));
		return KeepAliveOptions.builder().enable().idle(idle).interval(interval).count(3).build();
	}

	/**
	 * Production defaults: a bounded connect time, TCP keepalive, automatic reconnection, commands rejected (then
	 * retried by us) instead of queued without bound while disconnected, and blocking commands given their block
	 * time on top of the command timeout. Lettuce 7's maintenance notifications are off (see
	 * {@link LettuceCompatibility#disableMaintNotifications}); a customizer can turn them on.
	 */
	private static ClientOptions clientOptions(RedisDiscoveryProperties properties, DiscoveryModeSupport modeSupport,
			@Nullable SslBundle sslBundle, ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		SocketOptions socketOptions = SocketOptions.builder()
			.connectTimeout(properties.getTimeout().getConnect())
			.keepAlive(keepAlive(properties.getTimeout().getKeepAlive()))
			.build();
		ClientOptions.Builder builder = modeSupport.clientOptionsBuilder(properties)
			.autoReconnect(true)
			.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(socketOptions)
			.timeoutOptions(TimeoutOptions.builder()
				.timeoutSource(new BlockingCommandTimeouts(properties.getTimeout().getCommand()))
				.build());
		LettuceCompatibility.disableMaintNotifications(builder);
		if (properties.getSsl().isEnabled() || sslBundle != null) {
			builder.sslOptions(LettuceSslOptions.from(sslBundle, properties.getTimeout().getConnect()));
		}
		optionsCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

}
