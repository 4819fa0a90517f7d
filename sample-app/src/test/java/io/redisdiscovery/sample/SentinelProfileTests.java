package io.redisdiscovery.sample;

import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with profile {@code sentinel} and its embedded sentinel lab.
 */
@ActiveProfiles("sentinel")
class SentinelProfileTests extends EmbeddedLabProfileTests {

	@Override
	String mode() {
		return "sentinel";
	}

}
