package io.wavestore.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesExtension.class)
class KubernetesControlPlaneIT {

    @BeforeAll
    static void handsAClassLevelClientInTheDefaultNamespace(KubernetesClient client) {
        assertThat(client.getNamespace()).isEqualTo("default");
    }

    @Test
    void servesTheRealApiOfOneRelease(KubernetesControlPlane k8s, KubernetesClient client) throws Exception {
        System.out.println("Kubernetes control plane started in " + k8s.startupTime().toMillis() + " ms");
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.37.2");
        // What Helm needs beyond CRUD: discovery of every group, and the OpenAPI schema.
        assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName())
                .contains("apps", "batch", "rbac.authorization.k8s.io", "coordination.k8s.io");
        assertThat(client.raw("/openapi/v3")).contains("apis/apps/v1");
        assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                .containsExactlyElementsOf(k8s.nodeNames());
        // The API server reaches the fake kubelet (kwok) for logs and exec on loopback, nowhere else.
        assertThat(client.nodes().withName("kwok-node-0").get().getStatus().getAddresses())
                .anySatisfy(a -> assertThat(a.getType() + " " + a.getAddress()).isEqualTo("InternalIP 127.0.0.1"));
        assertThat(Files.readString(k8s.kubeconfig())).contains(k8s.apiServer().toString());
        assertThat(k8s.logFiles()).containsOnlyKeys(ControlPlaneBinaries.NAMES);
    }

    @Test
    void createsWatchesAndDeletesObjects(TestNamespace namespace) throws Exception {
        KubernetesClient client = namespace.client();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Watch watch = client.configMaps().withLabel("test", "watch").watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName() + " " + resource.getData());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        try {
            client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                    .addToLabels("test", "watch").endMetadata().addToData("colour", "blue").build()).create();
            client.configMaps().withName("settings").edit(cm -> new ConfigMapBuilder(cm).addToData("colour", "green").build());
            client.configMaps().withName("settings").delete();

            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("ADDED settings {colour=blue}");
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("MODIFIED settings {colour=green}");
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("DELETED settings {colour=green}");
        } finally {
            watch.close();
        }
        assertThat(client.configMaps().withName("settings").get()).isNull();
        assertThat(client.getNamespace()).isEqualTo(namespace.name());
    }

    @Test
    void runsADeploymentThroughReplicaSetToARunningReadyPod(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments().resource(deployment("web", Map.of())).create();

        Deployment ready = client.apps().deployments().withName("web")
                .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
                        60, TimeUnit.SECONDS);
        assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(1);

        List<ReplicaSet> replicaSets = client.apps().replicaSets().withLabel("app", "web").list().getItems();
        assertThat(replicaSets).hasSize(1);
        assertThat(replicaSets.get(0).getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName())
                .containsExactly("Deployment/web");

        List<Pod> pods = client.pods().withLabel("app", "web").list().getItems();
        assertThat(pods).hasSize(1);
        Pod pod = pods.get(0);
        assertThat(pod.getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName())
                .containsExactly("ReplicaSet/" + replicaSets.get(0).getMetadata().getName());
        assertThat(pod.getSpec().getNodeName()).isEqualTo("kwok-node-0");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getPodIP()).isNotBlank();
        assertThat(pod.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");
        assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(status -> {
            assertThat(status.getReady()).isTrue();
            assertThat(status.getState().getRunning()).isNotNull();
        });
        assertThat(client.pods().withName(pod.getMetadata().getName()).getLog())
                .isEqualTo(KubernetesControlPlane.CONTAINER_LOG);

        // A strategic merge patch, as kubectl and Helm send them: scale to two and a second pod starts.
        client.apps().deployments().withName("web")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":2}}");
        client.apps().deployments().withName("web")
                .waitUntilCondition(d -> Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()), 60, TimeUnit.SECONDS);

        // Deleting the Deployment takes the ReplicaSet and pods with it (garbage collector, kwok's delete stage).
        client.apps().deployments().withName("web").delete();
        client.pods().withLabel("app", "web").informOnCondition(List::isEmpty).orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(client.apps().replicaSets().withLabel("app", "web").list().getItems()).isEmpty();
    }

    @Test
    void completesJobs(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName("once").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("job").withImage("registry.invalid/job:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        client.batch().v1().jobs().withName("once")
                .waitUntilCondition(j -> j.getStatus() != null && Integer.valueOf(1).equals(j.getStatus().getSucceeded()),
                        60, TimeUnit.SECONDS);
    }

    static Deployment deployment(String name, Map<String, String> extraPodLabels) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).addToLabels(extraPodLabels).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("registry.invalid/" + name + ":1").endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
