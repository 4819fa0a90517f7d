package io.redisdiscovery.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether a Spring Data Redis connection call only reads: Redis flags its command {@code readonly} in the
 * generated command table, or {@code RepeatOverrides} lists it as a keyless command that only reports
 * ({@code PING}, {@code INFO}). Anything else, an unknown command included, counts as a write, so that holding and
 * confirming writes errs on the safe side.
 *
 * @since 0.1.0
 */
public final class ReadOnlyCommands {

	private ReadOnlyCommands() {
	}

	/**
	 * Whether the call only reads.
	 * @param method the connection method called
	 * @param args its arguments
	 * @return {@code true} for a known read
	 */
	public static boolean isReadOnly(Method method, @Nullable Object @Nullable [] args) {
		if (method.getName().equals("execute") && args != null && args.length > 0) {
			byte[] @Nullable [] arguments = (args.length > 1 && args[1] instanceof byte[][] values) ? values : null;
			String firstArgument = (arguments != null && arguments.length > 0)
					? new String(arguments[0], StandardCharsets.UTF_8) : null;
			return CommandIdempotency.facts(text(args[0]), firstArgument).readOnly();
		}
		return CommandIdempotency.facts(method).readOnly();
	}

	private static String text(@Nullable Object arg) {
		return (arg instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(arg);
	}

}
