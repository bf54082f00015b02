package io.wavestore.scheduler.helm;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceHealth.Phase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads an instance's health from its pod and the pod's events, as a kubelet reports them. */
public final class PodHealth {

    /** The main container of an instance pod. */
    public static final String CONTAINER = "launcher";
    /** Events kept in a health report, the newest. */
    public static final int EVENTS = 10;

    /** Waiting reasons that mean the container cannot start or keeps dying, not that it is on its way. */
    static final Set<String> FAILED_WAITING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError");

    private PodHealth() {
    }

    /**
     * The pod that says how the instance is: the newest one not being deleted. A Deployment with strategy Recreate
     * runs at most one; an old one may linger while it terminates, and an instance whose only pod terminates (it is
     * being suspended or removed) counts as stopped.
     */
    public static Optional<Pod> current(Collection<Pod> pods) {
        Comparator<Pod> byCreation = Comparator.comparing(p -> instant(p.getMetadata().getCreationTimestamp())
                .orElse(Instant.EPOCH));
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).max(byCreation);
    }

    /**
     * The health of an instance whose current pod is {@code pod} (empty: none, the instance is stopped).
     *
     * @param events  the pod's events, in any order; the newest {@value #EVENTS} are kept, newest last
     * @param address where the router reaches the instance, reported once there is a pod
     */
    public static InstanceHealth read(Optional<Pod> pod, Collection<Event> events, String address, Instant now) {
        if (pod.isEmpty()) {
            return InstanceHealth.stopped(now);
        }
        Pod p = pod.get();
        List<InstanceHealth.Event> recent = recent(events);
        String podPhase = p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase();
        Optional<ContainerStatus> container = container(p);
        int restarts = container.map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).orElse(0);
        Optional<ContainerStateWaiting> waiting = container.map(c -> c.getState() == null ? null : c.getState().getWaiting());
        Optional<ContainerStateTerminated> terminated = container
                .map(c -> c.getState() == null ? null : c.getState().getTerminated());
        Optional<ContainerStateTerminated> lastTerminated = container
                .map(c -> c.getLastState() == null ? null : c.getLastState().getTerminated());
        Optional<Integer> exitCode = terminated.or(() -> lastTerminated).map(ContainerStateTerminated::getExitCode);
        Optional<String> at = Optional.of(address);

        if (waiting.isPresent() && FAILED_WAITING_REASONS.contains(waiting.get().getReason())) {
            return new InstanceHealth(Phase.FAILED, false, restarts, Optional.of(waiting.get().getReason()),
                    message(waiting.get().getMessage(), lastTerminated), exitCode, at, recent, now);
        }
        if (terminated.isPresent() && terminated.get().getExitCode() != null && terminated.get().getExitCode() != 0) {
            return new InstanceHealth(Phase.FAILED, false, restarts,
                    Optional.ofNullable(terminated.get().getReason()).or(() -> Optional.of("Error")),
                    Optional.ofNullable(terminated.get().getMessage()), exitCode, at, recent, now);
        }
        if ("Failed".equals(podPhase) || "Succeeded".equals(podPhase)) {
            // The launcher never ends well; a pod that ended (evicted, say) is a failure either way.
            return new InstanceHealth(Phase.FAILED, false, restarts,
                    Optional.ofNullable(p.getStatus().getReason()).or(() -> Optional.of(podPhase)),
                    Optional.ofNullable(p.getStatus().getMessage()), exitCode, at, recent, now);
        }
        Optional<PodCondition> scheduled = condition(p, "PodScheduled");
        if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
            return new InstanceHealth(Phase.PENDING, false, restarts,
                    Optional.ofNullable(scheduled.get().getReason()).or(() -> Optional.of("Unschedulable")),
                    Optional.ofNullable(scheduled.get().getMessage()), exitCode, at, recent, now);
        }
        if ("Pending".equals(podPhase)) {
            return new InstanceHealth(Phase.PENDING, false, restarts,
                    waiting.map(ContainerStateWaiting::getReason), waiting.map(ContainerStateWaiting::getMessage),
                    exitCode, at, recent, now);
        }
        boolean ready = condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
        if (ready) {
            return new InstanceHealth(Phase.RUNNING, true, restarts, Optional.empty(), Optional.empty(), exitCode, at,
                    recent, now);
        }
        return new InstanceHealth(Phase.STARTING, false, restarts, waiting.map(ContainerStateWaiting::getReason),
                waiting.map(ContainerStateWaiting::getMessage), exitCode, at, recent, now);
    }

    /** The same health without its observation time, to tell a change from a repetition. */
    static InstanceHealth timeless(InstanceHealth health) {
        return new InstanceHealth(health.phase(), health.ready(), health.restarts(), health.reason(), health.message(),
                health.exitCode(), health.address(), health.events(), Instant.EPOCH);
    }

    static List<InstanceHealth.Event> recent(Collection<Event> events) {
        List<InstanceHealth.Event> sorted = events.stream()
                .map(e -> new InstanceHealth.Event(when(e), e.getType() == null ? "Normal" : e.getType(),
                        e.getReason() == null ? "" : e.getReason(), e.getMessage() == null ? "" : e.getMessage()))
                .sorted(Comparator.comparing(InstanceHealth.Event::at))
                .toList();
        return sorted.subList(Math.max(0, sorted.size() - EVENTS), sorted.size());
    }

    private static Optional<String> message(String waitingMessage, Optional<ContainerStateTerminated> lastTerminated) {
        if (waitingMessage != null && !waitingMessage.isBlank()) {
            return Optional.of(waitingMessage);
        }
        return lastTerminated.map(ContainerStateTerminated::getMessage);
    }

    private static Optional<ContainerStatus> container(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses.stream().filter(c -> CONTAINER.equals(c.getName())).findFirst()
                .or(() -> statuses.stream().findFirst());
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** When an event last happened: lastTimestamp, eventTime, firstTimestamp or creation, whichever is there. */
    private static Instant when(Event event) {
        return instant(event.getLastTimestamp())
                .or(() -> event.getEventTime() == null ? Optional.empty() : instant(event.getEventTime().getTime()))
                .or(() -> instant(event.getFirstTimestamp()))
                .or(() -> instant(event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp()))
                .orElse(Instant.EPOCH);
    }

    private static Optional<Instant> instant(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
