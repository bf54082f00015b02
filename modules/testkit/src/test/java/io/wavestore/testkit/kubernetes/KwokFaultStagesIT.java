package io.wavestore.testkit.kubernetes;

import static io.wavestore.testkit.kubernetes.KubernetesControlPlaneIT.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesExtension.class)
class KwokFaultStagesIT {

    @Test
    void crashLoopsAPodLabelledSoFromTheStart(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments()
                .resource(deployment("crasher", Map.of(KwokStages.FAULT_LABEL, KwokStages.CRASH_LOOP))).create();

        Pod pod = awaitPod(client, "crasher", p -> restarts(p) >= 3);

        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(pod, "Ready")).isEqualTo("False");
        ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getReady()).isFalse();
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(client.v1().events().list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("BackOff");
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(pod.getMetadata().getName());
                });
        // The Deployment sees what a real one would: no ready replica.
        assertThat(client.apps().deployments().withName("crasher").get().getStatus().getReadyReplicas()).isNull();
    }

    @Test
    void crashLoopsARunningPodOnDemandWithTheGivenExitCode(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments().resource(deployment("healthy", Map.of())).create();
        Pod running = awaitPod(client, "healthy", p -> "True".equals(condition(p, "Ready")));

        client.pods().withName(running.getMetadata().getName()).edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels(KwokStages.FAULT_LABEL, KwokStages.CRASH_LOOP)
                .addToAnnotations(KwokStages.EXIT_CODE_ANNOTATION, "137")
                .addToAnnotations(KwokStages.RESTART_DELAY_ANNOTATION, "200ms")
                .endMetadata().build());

        Pod crashing = awaitPod(client, "healthy", p -> restarts(p) >= 2);
        assertThat(crashing.getMetadata().getUid()).isEqualTo(running.getMetadata().getUid());
        assertThat(condition(crashing, "Ready")).isEqualTo("False");
        ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    }

    @Test
    void keepsAPodPendingOnImagePullBackOffUntilTheLabelGoes(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments()
                .resource(deployment("badimage", Map.of(KwokStages.FAULT_LABEL, KwokStages.IMAGE_PULL_BACKOFF))).create();

        Pod pod = awaitPod(client, "badimage", p -> p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty());
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("ImagePullBackOff");

        client.pods().withName(pod.getMetadata().getName()).edit(p -> new PodBuilder(p).editMetadata()
                .removeFromLabels(KwokStages.FAULT_LABEL).endMetadata().build());
        awaitPod(client, "badimage", p -> "True".equals(condition(p, "Ready")));
    }

    @Test
    void runsAPodThatNeverBecomesReady(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments()
                .resource(deployment("unready", Map.of(KwokStages.FAULT_LABEL, KwokStages.NOT_READY))).create();

        Pod pod = awaitPod(client, "unready", p -> "Running".equals(p.getStatus().getPhase()));
        assertThat(condition(pod, "Ready")).isEqualTo("False");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
        assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
    }

    private static Pod awaitPod(KubernetesClient client, String app, Predicate<Pod> condition) {
        List<Pod> pods = client.pods().withLabel("app", app)
                .informOnCondition(list -> list.size() == 1 && condition.test(list.get(0)))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
        return pods.get(0);
    }

    private static int restarts(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses == null || statuses.isEmpty() ? 0 : statuses.get(0).getRestartCount();
    }

    private static String condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse(null);
    }
}
