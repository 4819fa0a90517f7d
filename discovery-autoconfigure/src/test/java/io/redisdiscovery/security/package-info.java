/**
 * Integration tests for TLS and ACL credentials in every discovery mode.
 */
@NullMarked
package io.redisdiscovery.security;

import org.jspecify.annotations.NullMarked;
