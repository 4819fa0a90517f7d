package io.redisdiscovery.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidDiscoveryPropertyException} and names the property to fix.
 */
class InvalidDiscoveryPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDiscoveryPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDiscoveryPropertyException cause) {
		return new FailureAnalysis("The Redis discovery configuration is invalid. " + cause.getMessage() + ".",
				"Review the value of the property '" + cause.getProperty() + "': " + cause.getFix() + ".", cause);
	}

}
