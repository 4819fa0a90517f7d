/**
 * A mutable DNS server on loopback that speaks the real DNS wire protocol over UDP.
 */
@NullMarked
package io.redisdiscovery.lab.dns;

import org.jspecify.annotations.NullMarked;
