/**
 * The embedded demo lab: real Redis topologies on loopback, started before the context and faulted from the page.
 */
@NullMarked
package io.redisdiscovery.sample.lab;

import org.jspecify.annotations.NullMarked;
