/**
 * Micrometer meters of discovery and retry.
 */
@NullMarked
package io.redisdiscovery.metrics;

import org.jspecify.annotations.NullMarked;
