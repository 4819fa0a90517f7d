package io.redisdiscovery.autoconfigure;

import java.util.Map;

import io.redisdiscovery.test.FakeTopologySource;
import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every topology source, the application's own included, is bound to the connection factory's connection mover in
 * every mode: a source that sees its endpoint go away can move the connections, whoever wrote it.
 */
class ConnectionMoverBindingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class))
		.withPropertyValues("redis.discovery.startup=lazy");

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			standalone    | redis.discovery.standalone.host=127.0.0.1
			load-balancer | redis.discovery.load-balancer.host=127.0.0.1
			dns           | redis.discovery.dns.hostname=redis.example.org
			sentinel      | redis.discovery.sentinel.master=orders,redis.discovery.sentinel.nodes=127.0.0.1:26379
			cluster       | redis.discovery.cluster.nodes=127.0.0.1:7000
			""")
	void anApplicationsTopologySourceShouldBeBoundInEveryMode(String mode, String properties) {
		FakeTopologySource source = new FakeTopologySource(
				FakeTopologySource.topology(DiscoveryMode.STANDALONE, NodeRole.MASTER, 6379, Map.of()));
		this.contextRunner.withBean(FakeTopologySource.class, () -> source)
			.withPropertyValues("redis.discovery.mode=" + mode)
			.withPropertyValues(properties.split(","))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(source.boundConnections()).isNotSameAs(ConnectionMover.NONE);
			});
	}

}
