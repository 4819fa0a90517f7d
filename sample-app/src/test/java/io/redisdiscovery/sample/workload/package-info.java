/**
 * Tests of the workload statistics.
 */
@NullMarked
package io.redisdiscovery.sample.workload;

import org.jspecify.annotations.NullMarked;
