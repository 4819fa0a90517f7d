package io.redisdiscovery.benchmarks;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One way an application can be set up to reach Redis: the starter, or Spring Boot alone.
 */
enum Variant {

	/** The starter with its defaults. */
	STARTER("starter"),

	/** Spring Boot's own auto-configuration as its documentation describes it. */
	BOOT_DEFAULT("boot (defaults)"),

	/** Spring Boot with every relevant property tuned (Boot has no retry to turn on). */
	BOOT_TUNED("boot (tuned)");

	private final String label;

	Variant(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	/** The name {@code --variants} takes: {@code starter}, {@code boot-default}, {@code boot-tuned}. */
	String optionName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Starts an application context of this variant.
	 * @param target where Redis is
	 * @return the running context
	 */
	ConfigurableApplicationContext start(Target target) {
		Map<String, Object> properties = new LinkedHashMap<>((this == STARTER) ? target.starter() : target.boot());
		if (this == BOOT_TUNED) {
			properties.put("spring.data.redis.timeout", "2s");
			properties.put("spring.data.redis.connect-timeout", "2s");
			properties.putAll(target.bootTuning());
		}
		Class<?> application = (this == STARTER) ? StarterApplication.class : BootApplication.class;
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	static StringRedisTemplate template(ConfigurableApplicationContext context) {
		return context.getBean(StringRedisTemplate.class);
	}

	/**
	 * Where each variant connects, as properties.
	 *
	 * @param starter the starter's properties
	 * @param boot Spring Boot's properties
	 * @param bootTuning what the tuned Boot variant adds
	 */
	record Target(Map<String, Object> starter, Map<String, Object> boot, Map<String, Object> bootTuning) {

		boolean cluster() {
			return "cluster".equals(this.starter.get("redis.discovery.mode"));
		}

		static Target fixed(String mode, InetSocketAddress address) {
			return new Target(
					Map.of("redis.discovery.mode", mode, "redis.discovery." + mode + ".host", address.getHostString(),
							"redis.discovery." + mode + ".port", address.getPort()),
					Map.of("spring.data.redis.host", address.getHostString(), "spring.data.redis.port",
							address.getPort()),
					Map.of());
		}

		/** Boot resolves the name through the lab DNS server, as if the system resolver pointed at it. */
		static Target dns(String hostname, int port, InetSocketAddress dnsServer) {
			String nameserver = dnsServer.getHostString() + ":" + dnsServer.getPort();
			return new Target(
					Map.of("redis.discovery.mode", "dns", "redis.discovery.dns.hostname", hostname,
							"redis.discovery.dns.port", port, "redis.discovery.dns.nameservers", nameserver),
					Map.of("spring.data.redis.host", hostname, "spring.data.redis.port", port, "bench.dns-server",
							nameserver),
					Map.of());
		}

		static Target sentinel(String master, List<String> sentinels) {
			String nodes = String.join(",", sentinels);
			return new Target(
					Map.of("redis.discovery.mode", "sentinel", "redis.discovery.sentinel.master", master,
							"redis.discovery.sentinel.nodes", nodes),
					Map.of("spring.data.redis.sentinel.master", master, "spring.data.redis.sentinel.nodes", nodes),
					Map.of());
		}

		static Target cluster(List<String> seeds) {
			return cluster(seeds, Map.of());
		}

		/**
		 * A cluster whose nodes are dialed at other addresses (a proxy per node): the starter maps them with its
		 * address map, Boot with Lettuce's {@link MappingSocketAddressResolver} (Boot has no property for it).
		 * @param seeds the seed nodes, as announced
		 * @param addressMap each announced {@code host:port} to the {@code host:port} dialed instead
		 */
		static Target cluster(List<String> seeds, Map<String, String> addressMap) {
			String nodes = String.join(",", seeds);
			Map<String, Object> starter = new LinkedHashMap<>(
					Map.of("redis.discovery.mode", "cluster", "redis.discovery.cluster.nodes", nodes));
			Map<String, Object> boot = new LinkedHashMap<>(Map.of("spring.data.redis.cluster.nodes", nodes));
			addressMap.forEach((announced, dialed) -> {
				starter.put("redis.discovery.cluster.address-map.[" + announced + "]", dialed);
				boot.put("bench.address-map.[" + announced + "]", dialed);
			});
			return new Target(starter, boot, Map.of("spring.data.redis.lettuce.cluster.refresh.period", "1s",
					"spring.data.redis.lettuce.cluster.refresh.adaptive", "true"));
		}

	}

	@ImportAutoConfiguration({ RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class StarterApplication {

	}

	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class BootApplication {

		/** Points Lettuce's DNS resolver at the lab server, when the scenario has one. */
		@Bean
		ClientResourcesBuilderCustomizer labDnsServer(Environment environment) {
			return (builder) -> {
				String server = environment.getProperty("bench.dns-server");
				if (server != null) {
					int colon = server.lastIndexOf(':');
					InetSocketAddress address = new InetSocketAddress(server.substring(0, colon),
							Integer.parseInt(server.substring(colon + 1)));
					builder.addressResolverGroup(new DnsAddressResolverGroup(new DnsNameResolverBuilder()
						.datagramChannelType(NioDatagramChannel.class)
						.nameServerProvider(new SingletonDnsServerAddressStreamProvider(address))));
				}
			};
		}

		/** Dials each cluster node at its proxy, when the scenario has a proxy per node. */
		@Bean
		ClientResourcesBuilderCustomizer labAddressMap(Environment environment) {
			Map<String, String> addressMap = Binder.get(environment)
				.bind("bench.address-map", Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
			return (builder) -> {
				if (!addressMap.isEmpty()) {
					Function<HostAndPort, HostAndPort> map = (announced) -> {
						String dialed = addressMap.get(announced.getHostText() + ":" + announced.getPort());
						return (dialed != null) ? HostAndPort.parse(dialed) : announced;
					};
					builder.socketAddressResolver(MappingSocketAddressResolver.create(map));
				}
			};
		}

	}

}
