package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** One rendered overlay: its documents as YAML trees and as model objects. */
record Manifests(String overlay, List<JsonNode> documents) {

    /** Every document parsed strictly ({@link StrictModel}); fails on the first that does not parse. */
    List<Object> parsed() {
        return documents.stream().map(StrictModel::parse).toList();
    }

    /** The model objects of one kind. */
    <T> List<T> all(Class<T> type) {
        return parsed().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())
                && Objects.equals(namespace, o.getMetadata().getNamespace())).findFirst();
    }

    /** The raw documents of one {@code apiVersion/kind}. */
    List<JsonNode> raw(String type) {
        return documents.stream().filter(d -> type.equals(StrictModel.typeOf(d))).toList();
    }

    /** Every pod template with the workload that owns it. */
    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        all(Deployment.class).forEach(d -> workloads.add(new Workload(d, d.getSpec().getTemplate(),
                d.getSpec().getReplicas())));
        all(StatefulSet.class).forEach(s -> workloads.add(new Workload(s, s.getSpec().getTemplate(),
                s.getSpec().getReplicas())));
        all(Job.class).forEach(j -> workloads.add(new Workload(j, j.getSpec().getTemplate(), null)));
        all(CronJob.class).forEach(c -> workloads.add(new Workload(c, c.getSpec().getJobTemplate().getSpec().getTemplate(),
                null)));
        return workloads;
    }

    /** The workload of this name ("Deployment ingest"), which the overlay must have. */
    Workload workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no " + name));
    }

    /** A Deployment, StatefulSet, Job or CronJob and its pod template. */
    record Workload(HasMetadata owner, PodTemplateSpec template, Integer replicas) {

        String name() {
            return owner.getKind() + " " + owner.getMetadata().getName();
        }

        String namespace() {
            return owner.getMetadata().getNamespace();
        }

        /** A Job or CronJob: its pods end. */
        boolean isJob() {
            return owner instanceof Job || owner instanceof CronJob;
        }

        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }

        /** Containers, then init containers. */
        Stream<Container> allContainers() {
            return Stream.concat(template.getSpec().getContainers().stream(),
                    template.getSpec().getInitContainers().stream());
        }

        List<Container> containers() {
            return template.getSpec().getContainers();
        }
    }
}
