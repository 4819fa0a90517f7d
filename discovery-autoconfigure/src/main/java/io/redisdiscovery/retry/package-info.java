/**
 * A connection factory decorator that retries Redis commands a retry can fix, and only those.
 */
@NullMarked
package io.redisdiscovery.retry;

import org.jspecify.annotations.NullMarked;
