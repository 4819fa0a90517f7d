/**
 * Reliability and security tests that cut across discovery modes.
 */
@NullMarked
package io.redisdiscovery.reliability;

import org.jspecify.annotations.NullMarked;
