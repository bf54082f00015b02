package io.wavestore.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The endpoint of the {@code kubernetes} Service in {@code default}, which every pod's in-cluster configuration uses
 * ({@code KUBERNETES_SERVICE_HOST}, {@value #SERVICE_IP}:443). The test control plane's API server listens on loopback,
 * which an endpoint may not name, so it reconciles none ({@code --endpoint-reconciler-type=none}); a real node points
 * the Service at its relay on the gateway instead, and kube-proxy does the rest.
 */
final class KubernetesApiEndpoint {

    /** The first address of the control plane's service range, which the API server gives its own Service. */
    static final String SERVICE_IP = "10.96.0.1";

    private KubernetesApiEndpoint() {
    }

    static void pointAt(KubernetesClient client, String address, int port) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata()
                    .withName("kubernetes")
                    .withNamespace("default")
                    .addToLabels("kubernetes.io/service-name", "kubernetes")
                    .addToLabels("endpointslice.kubernetes.io/managed-by", "wavestore-testkit")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("https").withProtocol("TCP").withPort(port).endPort()
                .build();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice).serverSideApply();
    }
}
