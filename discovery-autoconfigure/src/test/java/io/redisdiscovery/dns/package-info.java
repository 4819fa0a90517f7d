/**
 * Tests of DNS mode.
 */
@NullMarked
package io.redisdiscovery.dns;

import org.jspecify.annotations.NullMarked;
