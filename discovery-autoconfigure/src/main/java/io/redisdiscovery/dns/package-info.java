/**
 * DNS mode: one database hostname whose A/AAAA records list the proxies, watched and spread across.
 */
@NullMarked
package io.redisdiscovery.dns;

import org.jspecify.annotations.NullMarked;
