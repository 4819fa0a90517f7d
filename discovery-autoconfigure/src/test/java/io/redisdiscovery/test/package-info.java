/**
 * Test support shared by the integration tests.
 */
@NullMarked
package io.redisdiscovery.test;

import org.jspecify.annotations.NullMarked;
