/**
 * Tests of the sample application against the embedded lab and in a real browser.
 */
@NullMarked
package io.redisdiscovery.sample;

import org.jspecify.annotations.NullMarked;
