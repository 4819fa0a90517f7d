package io.redisdiscovery.sample.workload;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts and stops the background workload and reports what it measured.
 */
@RestController
@RequestMapping("/api/workload")
class WorkloadController {

	private final WorkloadGenerator generator;

	private final WorkloadStats stats;

	WorkloadController(WorkloadGenerator generator, WorkloadStats stats) {
		this.generator = generator;
		this.stats = stats;
	}

	@GetMapping
	WorkloadReport report() {
		return new WorkloadReport(this.generator.isRunning(), this.generator.threadCount(),
				this.stats.totalOperations(), this.stats.totalErrors(), this.stats.seconds(),
				this.stats.recentErrors());
	}

	@PostMapping("/start")
	WorkloadReport start() {
		this.generator.start();
		return report();
	}

	@PostMapping("/stop")
	WorkloadReport stop() {
		this.generator.stop();
		return report();
	}

	/**
	 * The workload as the dashboard charts it.
	 *
	 * @param running whether the workload threads run
	 * @param threads how many threads run it
	 * @param totalOperations operations completed since startup
	 * @param totalErrors operations failed since startup
	 * @param seconds the last completed seconds, oldest first
	 * @param recentErrors the last errors, newest first
	 */
	record WorkloadReport(boolean running, int threads, long totalOperations, long totalErrors,
			List<WorkloadSecond> seconds, List<WorkloadError> recentErrors) {

	}

}
