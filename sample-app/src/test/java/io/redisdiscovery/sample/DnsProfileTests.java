package io.redisdiscovery.sample;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The sample with profile {@code dns} and its embedded dns lab.
 */
@DirtiesContext
@ActiveProfiles("dns")
class DnsProfileTests extends EmbeddedLabProfileTests {

	@Override
	String mode() {
		return "dns";
	}

}
