package io.redisdiscovery.sample.lab;

/**
 * Thrown when a fault is asked for that the running lab topology does not offer.
 */
class UnknownFaultException extends RuntimeException {

	UnknownFaultException(String topology, String fault) {
		this("The " + topology + " lab has no fault named '" + fault + "'");
	}

	UnknownFaultException(String message) {
		super(message);
	}

}
