package io.redisdiscovery.autoconfigure;

import java.time.Duration;

/**
 * Checks shared by the property validators; each names the full property in its failure.
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	static void positive(String property, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new InvalidDiscoveryPropertyException(property, "it is " + duration + ", not a positive duration",
					"use a positive duration such as 500ms or 2s");
		}
	}

}
