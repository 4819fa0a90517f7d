/**
 * Cluster mode: slot map discovery with bounded refresh cost, address mapping and a topology view of the cluster.
 */
@NullMarked
package io.redisdiscovery.cluster;

import org.jspecify.annotations.NullMarked;
