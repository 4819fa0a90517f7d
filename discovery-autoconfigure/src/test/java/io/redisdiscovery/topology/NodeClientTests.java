package io.redisdiscovery.topology;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NodeClient}: the one place that turns a node and its credentials into a short-lived connection.
 */
class NodeClientTests {

	private final ClientResources resources = DefaultClientResources.create();

	@AfterEach
	void shutdown() {
		this.resources.shutdown();
	}

	@Test
	void uriShouldCarryTheAclUserPasswordTlsAndTimeout() {
		try (NodeClient client = new NodeClient(this.resources, ClientOptions.create(), Duration.ofMillis(700), true,
				null)) {
			RedisURI uri = client.uri(new RedisNode("redis-1.internal", 6380), new Credentials("app", "s3cret"));
			assertThat(uri.getHost()).isEqualTo("redis-1.internal");
			assertThat(uri.getPort()).isEqualTo(6380);
			RedisCredentials credentials = credentials(uri);
			assertThat(credentials.getUsername()).isEqualTo("app");
			assertThat(credentials.getPassword()).isEqualTo("s3cret".toCharArray());
			assertThat(uri.isSsl()).isTrue();
			assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(700));
		}
	}

	@Test
	void uriShouldCarryNoLoginWithoutPassword() {
		try (NodeClient client = new NodeClient(this.resources, ClientOptions.create(), Duration.ofSeconds(1), false,
				null)) {
			RedisURI uri = client.uri(new RedisNode("127.0.0.1", 6379), new Credentials("app", null));
			RedisCredentials credentials = credentials(uri);
			assertThat(credentials.getUsername()).isNull();
			assertThat(credentials.getPassword()).isNull();
			assertThat(uri.isSsl()).isFalse();
		}
	}

	/** Through the credentials provider: Lettuce 7 has no {@code RedisURI.getUsername()} or {@code getPassword()}. */
	private static RedisCredentials credentials(RedisURI uri) {
		RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
		assertThat(credentials).isNotNull();
		return credentials;
	}

}
