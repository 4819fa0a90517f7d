/**
 * Plumbing shared by the lab: bounded waits, free ports, process reaping and temp directories.
 */
@NullMarked
package io.redisdiscovery.lab.internal;

import org.jspecify.annotations.NullMarked;
