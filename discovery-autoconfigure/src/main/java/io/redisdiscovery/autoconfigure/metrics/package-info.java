/**
 * Auto-configuration of discovery metrics.
 */
@NullMarked
package io.redisdiscovery.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
