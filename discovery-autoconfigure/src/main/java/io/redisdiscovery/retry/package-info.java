/**
 * A connection factory decorator that retries Redis commands a retry can fix, and only those: a command that may
 * have reached the server is sent again only when a repeat leaves the same data and the same reply, as
 * {@link io.redisdiscovery.retry.CommandIdempotency} derives from Redis's own command metadata.
 */
@NullMarked
package io.redisdiscovery.retry;

import org.jspecify.annotations.NullMarked;
