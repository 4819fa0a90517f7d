package io.redisdiscovery.sample;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with profile {@code load-balancer} and its embedded load-balancer lab.
 */
@DirtiesContext
@ActiveProfiles("load-balancer")
class LoadBalancerProfileTests extends EmbeddedLabProfileTests {

	@Override
	String mode() {
		return "load-balancer";
	}

}
