/**
 * Auto-configuration that discovers Redis endpoints and builds a retrying Lettuce connection factory.
 */
@NullMarked
package io.redisdiscovery.autoconfigure;

import org.jspecify.annotations.NullMarked;
