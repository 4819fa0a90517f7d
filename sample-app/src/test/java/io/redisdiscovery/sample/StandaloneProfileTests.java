package io.redisdiscovery.sample;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with profile {@code standalone} and its embedded standalone lab.
 */
@DirtiesContext
@ActiveProfiles("standalone")
class StandaloneProfileTests extends EmbeddedLabProfileTests {

	@Override
	String mode() {
		return "standalone";
	}

}
