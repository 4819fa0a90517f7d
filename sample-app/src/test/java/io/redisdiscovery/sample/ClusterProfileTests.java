package io.redisdiscovery.sample;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with profile {@code cluster} and its embedded cluster lab.
 */
@DirtiesContext
@ActiveProfiles("cluster")
class ClusterProfileTests extends EmbeddedLabProfileTests {

	@Override
	String mode() {
		return "cluster";
	}

}
