package io.redisdiscovery.topology;

import java.util.function.Supplier;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Client resources that use their own socket address resolver but share everything else with the application's
 * resources. Not {@code mutate()}: its copy keeps the original's "not shared" flags, so shutting the copy down
 * would stop the application's event executor and timer.
 *
 * @since 0.1.0
 */
public final class ResolvingClientResources {

	private ResolvingClientResources() {
	}

	/**
	 * Creates resources that resolve addresses with {@code resolver}; shut them down when done, which leaves the
	 * shared parts running.
	 * @param shared the application's resources
	 * @param resolver the resolver to use
	 * @return the new resources
	 */
	public static ClientResources create(ClientResources shared, SocketAddressResolver resolver) {
		return create(shared, resolver, null);
	}

	/**
	 * Creates resources that resolve addresses with {@code resolver} and customize channels with the application's
	 * customizer, then {@code customizer}; shut them down when done, which leaves the shared parts running.
	 * @param shared the application's resources
	 * @param resolver the resolver to use
	 * @param customizer applied to every channel after the application's customizer, or {@code null}
	 * @return the new resources
	 */
	public static ClientResources create(ClientResources shared, SocketAddressResolver resolver,
			@Nullable NettyCustomizer customizer) {
		return create(shared, resolver, customizer, shared.timer(), shared::reconnectDelay);
	}

	/**
	 * Creates resources as {@link #create(ClientResources, SocketAddressResolver, NettyCustomizer)} does, whose
	 * connections reconnect with the delays {@code reconnectDelay} supplies (one per connection), scheduled on
	 * {@code timer}.
	 * @param shared the application's resources
	 * @param resolver the resolver to use
	 * @param customizer applied to every channel after the application's customizer, or {@code null}
	 * @param timer the timer of reconnects and command timeouts: the application's, or one in front of it
	 * @param reconnectDelay the reconnect delay of each new connection
	 * @return the new resources
	 */
	public static ClientResources create(ClientResources shared, SocketAddressResolver resolver,
			@Nullable NettyCustomizer customizer, Timer timer, Supplier<Delay> reconnectDelay) {
		NettyCustomizer nettyCustomizer = both(shared.nettyCustomizer(), customizer);
		return DefaultClientResources.builder()
			.eventLoopGroupProvider(shared.eventLoopGroupProvider())
			.eventExecutorGroup(shared.eventExecutorGroup())
			.timer(timer)
			.eventBus(shared.eventBus())
			.commandLatencyRecorder(shared.commandLatencyRecorder())
			.reconnectDelay(reconnectDelay)
			.nettyCustomizer(nettyCustomizer)
			.tracing(shared.tracing())
			.addressResolverGroup(shared.addressResolverGroup())
			.socketAddressResolver(resolver)
			.build();
	}

	/**
	 * Two customizers as one.
	 * @param first applied first
	 * @param second applied second, or {@code null}
	 * @return a customizer applying both
	 */
	public static NettyCustomizer both(NettyCustomizer first, @Nullable NettyCustomizer second) {
		return (second != null) ? new BothCustomizers(first, second) : first;
	}

	/**
	 * The application's customizer, then the source's.
	 */
	private record BothCustomizers(NettyCustomizer first, NettyCustomizer second) implements NettyCustomizer {

		@Override
		public void afterBootstrapInitialized(Bootstrap bootstrap) {
			this.first.afterBootstrapInitialized(bootstrap);
			this.second.afterBootstrapInitialized(bootstrap);
		}

		@Override
		public void afterChannelInitialized(Channel channel) {
			this.first.afterChannelInitialized(channel);
			this.second.afterChannelInitialized(channel);
		}

	}

}
