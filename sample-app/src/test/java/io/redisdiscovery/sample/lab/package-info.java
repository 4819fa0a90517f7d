/**
 * Tests of the embedded demo lab's wiring.
 */
@NullMarked
package io.redisdiscovery.sample.lab;

import org.jspecify.annotations.NullMarked;
