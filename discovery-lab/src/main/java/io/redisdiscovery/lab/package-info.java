/**
 * Real Redis servers, Sentinel groups and clusters on loopback, for tests, benchmarks and demos.
 */
@NullMarked
package io.redisdiscovery.lab;

import org.jspecify.annotations.NullMarked;
