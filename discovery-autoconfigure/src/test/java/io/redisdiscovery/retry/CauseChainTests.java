package io.redisdiscovery.retry;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CauseChainTests {

	@Test
	void chainShouldListTheFailureThenItsCauses() {
		ConnectException root = new ConnectException("Connection refused");
		IOException middle = new IOException("connect failed", root);
		IllegalStateException failure = new IllegalStateException("no connection", middle);

		assertThat(CauseChain.of(failure)).containsExactly(failure, middle, root);
		assertThat(CauseChain.find(failure, IOException.class)).isSameAs(middle);
		assertThat(CauseChain.find(failure, ArithmeticException.class)).isNull();
		assertThat(CauseChain.root(failure)).isSameAs(root);
		assertThat(CauseChain.anyMatch(failure, ConnectException.class::isInstance)).isTrue();
	}

	@Test
	void chainShouldEndAtACauseCycle() {
		CyclicException first = new CyclicException("first");
		CyclicException second = new CyclicException("second");
		first.cause = second;
		second.cause = first;

		assertThat(CauseChain.of(first)).containsExactly(first, second);
		assertThat(CauseChain.root(first)).isSameAs(second);
	}

	@Test
	void chainShouldBeBoundedInDepth() {
		Throwable failure = new IOException("deepest");
		for (int i = 0; i < 100; i++) {
			failure = new IOException("level " + i, failure);
		}

		assertThat(CauseChain.of(failure)).hasSize(16);
	}

	@Test
	void uncheckedShouldKeepRuntimeExceptionsThrowErrorsAndWrapTheRest() {
		IllegalStateException runtime = new IllegalStateException("translated");
		IOException checked = new IOException("handshake failed");

		assertThat(CauseChain.unchecked(runtime, "Could not connect")).isSameAs(runtime);
		assertThat(CauseChain.unchecked(checked, "Could not connect"))
			.isInstanceOf(RedisConnectionFailureException.class)
			.hasMessage("Could not connect")
			.hasCause(checked);
		assertThatExceptionOfType(StackOverflowError.class)
			.isThrownBy(() -> CauseChain.unchecked(new StackOverflowError(), "Could not connect"));
	}

	/** A failure whose cause can be set to form a cycle, as some libraries' exceptions do. */
	private static final class CyclicException extends RuntimeException {

		private Throwable cause;

		CyclicException(String message) {
			super(message);
		}

		@Override
		public synchronized Throwable getCause() {
			return this.cause;
		}

	}

}
