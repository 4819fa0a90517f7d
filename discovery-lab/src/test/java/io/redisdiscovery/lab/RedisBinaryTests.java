package io.redisdiscovery.lab;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisBinary}.
 */
class RedisBinaryTests {

	@Test
	void resolvesAnExecutableWithAParsedVersionOncePerJvm() {
		RedisBinary binary = RedisBinary.resolve();

		assertThat(Files.isExecutable(binary.path())).isTrue();
		assertThat(binary.version()).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(binary.source()).isIn("explicit", "PATH", "embedded");
		assertThat(RedisBinary.resolve()).isSameAs(binary);
	}

	@Test
	void comparesVersions() {
		RedisBinary binary = RedisBinary.resolve();

		assertThat(binary.isAtLeast(6, 0)).isTrue();
		assertThat(binary.isAtLeast(99, 0)).isFalse();
	}

}
