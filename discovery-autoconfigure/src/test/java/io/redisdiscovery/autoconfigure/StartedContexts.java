package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration tests look at in a context they ran: the starter's factory, or the analysis a user reads
 * when startup fails on a bad property.
 */
final class StartedContexts {

	private StartedContexts() {
	}

	/**
	 * The starter's connection factory of a context that started.
	 * @param context the context
	 * @return the factory
	 */
	static RetryingLettuceConnectionFactory factory(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(RetryingLettuceConnectionFactory.class);
	}

	/**
	 * The failure analysis of a context that failed on an invalid {@code redis.discovery.*} property.
	 * @param context the context
	 * @return the analysis
	 */
	static FailureAnalysis invalidPropertyAnalysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new InvalidDiscoveryPropertyFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
