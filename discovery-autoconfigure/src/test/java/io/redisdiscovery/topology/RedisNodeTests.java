package io.redisdiscovery.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisNodeTests {

	@Test
	void parseShouldReadHostAndPort() {
		assertThat(RedisNode.parse("redis.example.com:6380")).isEqualTo(new RedisNode("redis.example.com", 6380));
	}

	@Test
	void parseShouldReadBracketedIpv6() {
		RedisNode node = RedisNode.parse("[::1]:6379");
		assertThat(node).isEqualTo(new RedisNode("::1", 6379));
		assertThat(node).hasToString("[::1]:6379");
	}

	@Test
	void parseWhenIpv6IsNotBracketedShouldExplain() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisNode.parse("::1:6379"))
			.withMessageContaining("[address]:port");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "localhost:", ":6379", "localhost:abc", "localhost:0", "localhost:65536",
			"[::1:6379", "[]:6379" })
	void parseWhenMalformedShouldFail(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisNode.parse(text)).withMessageContaining(text);
	}

}
