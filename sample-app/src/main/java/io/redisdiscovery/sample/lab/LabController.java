package io.redisdiscovery.sample.lab;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the embedded lab and injects its faults; without a lab there is nothing to fault and every fault is 404.
 */
@RestController
@RequestMapping("/api/lab")
class LabController {

	private final ObjectProvider<EmbeddedLab> lab;

	LabController(ObjectProvider<EmbeddedLab> lab) {
		this.lab = lab;
	}

	@GetMapping
	LabStatus status() {
		EmbeddedLab lab = this.lab.getIfAvailable();
		if (lab == null) {
			return new LabStatus(false, null, List.of(), null, null);
		}
		return new LabStatus(true, lab.topology(), lab.faults(), lab.faultInProgress(), lab.lastFault());
	}

	@PostMapping("/faults/{name}")
	ResponseEntity<LabStatus> inject(@PathVariable String name) {
		EmbeddedLab lab = this.lab.getIfAvailable();
		if (lab == null) {
			throw new UnknownFaultException(
					"No embedded lab runs (sample.lab.topology=none), so there is no fault '" + name + "' to inject");
		}
		lab.inject(name);
		return ResponseEntity.accepted().body(status());
	}

	@ExceptionHandler
	ResponseEntity<Problem> unknownFault(UnknownFaultException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new Problem(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Problem> faultInProgress(FaultInProgressException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT).body(new Problem(ex.getMessage()));
	}

	/**
	 * The lab as the dashboard shows it.
	 *
	 * @param running whether an embedded lab runs (false when the app points at an external Redis)
	 * @param topology the lab topology
	 * @param faults the faults it offers
	 * @param faultInProgress the fault the lab is recovering from, if any
	 * @param lastFault how the last fault went, if any
	 */
	record LabStatus(boolean running, @Nullable String topology, List<LabFault> faults,
			@Nullable String faultInProgress, EmbeddedLab.@Nullable FaultOutcome lastFault) {

	}

	/**
	 * Why a request was refused.
	 *
	 * @param message the reason
	 */
	record Problem(String message) {

	}

}
