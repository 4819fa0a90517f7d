/**
 * Benchmarks that compare the starter with plain Spring Boot on the same lab servers in one run.
 */
@NullMarked
package io.redisdiscovery.benchmarks;

import org.jspecify.annotations.NullMarked;
