package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.wavestore.scheduler.runtime.InstanceHealth.Phase;
import io.wavestore.scheduler.runtime.InstanceHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PodHealthTest {

    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    static final String ADDRESS = "i-abc.apps.svc.cluster.local:10101";

    @Test
    void noPodIsStopped() {
        InstanceHealth health = read(null);

        assertThat(health.phase()).isEqualTo(Phase.STOPPED);
        assertThat(health.address()).isEmpty();
        assertThat(health.observedAt()).isEqualTo(NOW);
    }

    @Test
    void anUnschedulablePodIsPendingWithTheSchedulersWord() {
        Pod pod = pod("Pending", List.of(condition("PodScheduled", "False", "Unschedulable",
                "0/2 nodes are available: 2 Insufficient nvidia.com/gpu.")), List.of());

        InstanceHealth health = read(pod);

        assertThat(health.phase()).isEqualTo(Phase.PENDING);
        assertThat(health.reason()).contains("Unschedulable");
        assertThat(health.message()).contains("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.");
    }

    @Test
    void aPodCreatingItsContainerIsPending() {
        Pod pod = pod("Pending", List.of(condition("PodScheduled", "True", null, null)),
                List.of(new ContainerStatusBuilder().withName("launcher").withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build()));

        InstanceHealth health = read(pod);

        assertThat(health.phase()).isEqualTo(Phase.PENDING);
        assertThat(health.reason()).contains("ContainerCreating");
        assertThat(health.address()).contains(ADDRESS);
    }

    @Test
    void aRunningPodIsStartingUntilReady() {
        assertThat(read(running(false)).phase()).isEqualTo(Phase.STARTING);
        InstanceHealth ready = read(running(true));
        assertThat(ready.phase()).isEqualTo(Phase.RUNNING);
        assertThat(ready.ready()).isTrue();
        assertThat(ready.address()).contains(ADDRESS);
    }

    @Test
    void aCrashLoopIsFailedWithRestartsAndTheLastExitCode() {
        Pod pod = pod("Running", List.of(condition("Ready", "False", "ContainersNotReady", null)),
                List.of(new ContainerStatusBuilder().withName("launcher").withRestartCount(4)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated()
                        .endLastState().build()));

        InstanceHealth health = read(pod);

        assertThat(health.phase()).isEqualTo(Phase.FAILED);
        assertThat(health.reason()).contains("CrashLoopBackOff");
        assertThat(health.restarts()).isEqualTo(4);
        assertThat(health.exitCode()).contains(1);
        assertThat(health.message()).contains("back-off 40s restarting failed container");
    }

    @Test
    void anImageThatCannotBePulledOrAMissingSecretIsFailed() {
        for (String reason : List.of("ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError")) {
            Pod pod = pod("Pending", List.of(condition("PodScheduled", "True", null, null)),
                    List.of(new ContainerStatusBuilder().withName("launcher").withRestartCount(0)
                            .withNewState().withNewWaiting().withReason(reason).withMessage("why").endWaiting().endState()
                            .build()));

            InstanceHealth health = read(pod);
            assertThat(health.phase()).as(reason).isEqualTo(Phase.FAILED);
            assertThat(health.reason()).as(reason).contains(reason);
        }
    }

    @Test
    void aContainerThatEndedBadlyIsFailed() {
        Pod pod = pod("Running", List.of(condition("Ready", "False", null, null)),
                List.of(new ContainerStatusBuilder().withName("launcher").withRestartCount(1)
                        .withNewState().withNewTerminated().withExitCode(2).withReason("Error")
                        .withMessage("the launcher's configuration is wrong").endTerminated().endState().build()));

        InstanceHealth health = read(pod);

        assertThat(health.phase()).isEqualTo(Phase.FAILED);
        assertThat(health.exitCode()).contains(2);
        assertThat(health.reason()).contains("Error");
    }

    @Test
    void theCurrentPodIsTheNewestNotBeingDeleted() {
        Pod old = new PodBuilder(running(true)).editMetadata().withName("old").withCreationTimestamp("2026-11-25T07:00:00Z")
                .endMetadata().build();
        Pod terminating = new PodBuilder(running(true)).editMetadata().withName("terminating")
                .withCreationTimestamp("2026-11-25T07:30:00Z").withDeletionTimestamp("2026-11-25T07:59:00Z").endMetadata().build();
        Pod newest = new PodBuilder(running(false)).editMetadata().withName("newest")
                .withCreationTimestamp("2026-11-25T07:20:00Z").endMetadata().build();

        assertThat(PodHealth.current(List.of(old, terminating, newest)).map(p -> p.getMetadata().getName())).contains("newest");
        assertThat(PodHealth.current(List.of(terminating))).isEmpty();
    }

    @Test
    void keepsTheTenNewestEventsNewestLast() {
        List<Event> events = new ArrayList<>();
        IntStream.range(0, 15).forEach(i -> events.add(new EventBuilder().withType("Normal").withReason("R" + i)
                .withMessage("m" + i).withLastTimestamp(Instant.parse("2026-11-25T07:00:00Z").plusSeconds(i).toString())
                .build()));
        Collections.shuffle(events);

        InstanceHealth health = PodHealth.read(Optional.of(running(true)), events, ADDRESS, NOW);

        assertThat(health.events()).extracting(InstanceHealth.Event::reason)
                .containsExactly("R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14");
    }

    @Test
    void aHealthWithoutItsTimeTellsChangesFromRepetitions() {
        InstanceHealth a = read(running(true));
        InstanceHealth b = PodHealth.read(Optional.of(running(true)), List.of(), ADDRESS, NOW.plusSeconds(5));

        assertThat(a).isNotEqualTo(b);
        assertThat(PodHealth.timeless(a)).isEqualTo(PodHealth.timeless(b));
    }

    private static InstanceHealth read(Pod pod) {
        return PodHealth.read(Optional.ofNullable(pod), List.of(), ADDRESS, NOW);
    }

    private static Pod running(boolean ready) {
        return pod("Running", List.of(condition("PodScheduled", "True", null, null),
                        condition("Ready", ready ? "True" : "False", null, null)),
                List.of(new ContainerStatusBuilder().withName("launcher").withRestartCount(0).withReady(ready)
                        .withNewState().withNewRunning().withStartedAt("2026-11-25T07:59:00Z").endRunning().endState().build()));
    }

    private static Pod pod(String phase, List<PodCondition> conditions, List<ContainerStatus> containers) {
        return new PodBuilder().withNewMetadata().withName("i-abc-5d8f7-x2x1").withCreationTimestamp("2026-11-25T07:58:00Z")
                .addToLabels(HelmRuntime.INSTANCE_LABEL, "i-abc").endMetadata()
                .withNewStatus().withPhase(phase).withConditions(conditions).withContainerStatuses(containers).endStatus()
                .build();
    }

    private static PodCondition condition(String type, String status, String reason, String message) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }
}
