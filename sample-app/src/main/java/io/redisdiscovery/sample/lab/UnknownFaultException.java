package io.redisdiscovery.sample.lab;

/**
 * Thrown when a fault is asked for that the running lab topology does not offer.
 */
class UnknownFaultException extends RuntimeException {

	UnknownFaultException(String topology, String fault) {
		super("The " + topology + " lab has no fault named '" + fault + "'");
	}

}
