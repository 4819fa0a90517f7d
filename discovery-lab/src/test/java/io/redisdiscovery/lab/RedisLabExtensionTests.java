package io.redisdiscovery.lab;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Tests for {@link RedisLabExtension}.
 */
@ExtendWith(RedisLabExtension.class)
class RedisLabExtensionTests {

	private static RedisLab labFromBeforeAll;

	@BeforeAll
	static void setUp(RedisLab lab) {
		labFromBeforeAll = lab;
	}

	@Test
	void injectsTheSameLabIntoBeforeAllAndTestMethods(RedisLab lab) {
		assertThat(lab).isSameAs(labFromBeforeAll);
		assertThat(lab.isClosed()).isFalse();
	}

	@Test
	void closesTheLabAfterAllTestsOfTheClass() {
		LabUsingTestCase.lab.set(null);

		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(LabUsingTestCase.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(2).succeeded(2));

		RedisLab lab = LabUsingTestCase.lab.get();
		assertThat(lab).isNotNull();
		assertThat(lab.isClosed()).isTrue();
		assertThat(lab.servers()).hasSize(1).noneMatch(RedisServer::isAlive);
		assertThat(lab.directory()).doesNotExist();
	}

	/**
	 * A test class run through the engine test kit only (surefire skips nested classes).
	 */
	@ExtendWith(RedisLabExtension.class)
	static class LabUsingTestCase {

		static final AtomicReference<RedisLab> lab = new AtomicReference<>();

		@Test
		void first(RedisLab injected) {
			lab.set(injected);
			injected.startServer();
		}

		@Test
		void second(RedisLab injected) {
			assertThat(injected.isClosed()).isFalse();
		}

	}

}
