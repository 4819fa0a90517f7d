/**
 * The sample application.
 */
@NullMarked
package io.redisdiscovery.sample;

import org.jspecify.annotations.NullMarked;
