package io.redisdiscovery.topology;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.SocketAddressResolver;

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
		return DefaultClientResources.builder()
			.eventLoopGroupProvider(shared.eventLoopGroupProvider())
			.eventExecutorGroup(shared.eventExecutorGroup())
			.timer(shared.timer())
			.eventBus(shared.eventBus())
			.commandLatencyRecorder(shared.commandLatencyRecorder())
			.reconnectDelay(shared::reconnectDelay)
			.nettyCustomizer(shared.nettyCustomizer())
			.tracing(shared.tracing())
			.addressResolverGroup(shared.addressResolverGroup())
			.socketAddressResolver(resolver)
			.build();
	}

}
