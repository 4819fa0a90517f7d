/**
 * Auto-configuration of the discovery health indicator.
 */
@NullMarked
package io.redisdiscovery.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
