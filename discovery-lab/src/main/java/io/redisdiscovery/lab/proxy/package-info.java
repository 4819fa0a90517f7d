/**
 * A TCP proxy on loopback that load-balances across backends and injects network faults.
 */
@NullMarked
package io.redisdiscovery.lab.proxy;

import org.jspecify.annotations.NullMarked;
