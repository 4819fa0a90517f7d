/**
 * A background workload that exercises Redis and records throughput, latency and errors per second.
 */
@NullMarked
package io.redisdiscovery.sample.workload;

import org.jspecify.annotations.NullMarked;
