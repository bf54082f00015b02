package io.wavestore.server;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * The server's ITs on the real Kubernetes node, one after another in one test JVM. The node takes a machine-wide lock
 * (its CNI bridge, iptables rules and containerd are the machine's), so two of these in the two failsafe JVMs at once
 * left one waiting minutes for the lock while the other JVM's work queue ran dry. As one suite they are one unit of
 * failsafe's work: the other JVM takes the rest of the ITs meanwhile. The pom excludes the members from failsafe's own
 * scan; {@code -Dit.test=RealNodeInstancesIT} still runs one alone (it replaces the excludes).
 */
@Suite
@SelectClasses({RealNodeInstancesIT.class, RealNodeHandClientsIT.class, StoreOnRealNodeIT.class})
class RealNodeSuiteIT {
}
