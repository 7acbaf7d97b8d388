package dev.ovation.deploy;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the NetworkPolicies of an overlay let in, as a CNI that enforces them would. */
final class Policies {

    private Policies() {
    }

    /** A policy that selects every pod of its namespace and lets nothing in. */
    static boolean isDefaultDeny(NetworkPolicy policy) {
        var selector = policy.getSpec().getPodSelector();
        boolean all = selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && selector.getMatchExpressions().isEmpty());
        return all && policy.getSpec().getPolicyTypes().contains("Ingress") && policy.getSpec().getIngress().isEmpty();
    }

    /** The policies that select the workload's pods. */
    static List<NetworkPolicy> selecting(Manifests manifests, Manifests.Workload workload) {
        return manifests.all(NetworkPolicy.class).stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), workload.namespace()))
                .filter(p -> Labels.matches(p.getSpec().getPodSelector(), workload.labels())).toList();
    }

    /** The peers some rule lets in on {@code port} (a container port number) of the workload's pods. */
    static List<NetworkPolicyPeer> peersReaching(Manifests manifests, Manifests.Workload workload, int port) {
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        for (NetworkPolicy policy : selecting(manifests, workload)) {
            if (!policy.getSpec().getPolicyTypes().contains("Ingress")) {
                continue;
            }
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                boolean onPort = rule.getPorts().isEmpty()
                        || rule.getPorts().stream().anyMatch(p -> covers(p, workload, port));
                if (!onPort) {
                    continue;
                }
                if (rule.getFrom().isEmpty()) {
                    // a rule without peers lets every address in
                    peers.add(new NetworkPolicyPeer(null, null, null));
                } else {
                    peers.addAll(rule.getFrom());
                }
            }
        }
        return peers;
    }

    /** Whether a peer stands for pods outside the namespace, or addresses: anything but a pod selector alone. */
    static boolean isOutside(NetworkPolicyPeer peer) {
        return peer.getNamespaceSelector() != null || peer.getIpBlock() != null || peer.getPodSelector() == null;
    }

    /** The workloads of the namespace that the peers admit (pod selectors alone). */
    static Set<String> admitted(Manifests manifests, List<NetworkPolicyPeer> peers) {
        Set<String> admitted = new TreeSet<>();
        for (NetworkPolicyPeer peer : peers) {
            if (isOutside(peer)) {
                continue;
            }
            for (Manifests.Workload workload : manifests.workloads()) {
                if (Labels.matches(peer.getPodSelector(), workload.labels())) {
                    admitted.add(workload.name());
                }
            }
        }
        return admitted;
    }

    /** Whether a policy's port (a number, or the name of a container port) is {@code port} on these pods. */
    static boolean covers(NetworkPolicyPort policyPort, Manifests.Workload workload, int port) {
        IntOrString value = policyPort.getPort();
        if (value == null) {
            return true;
        }
        if (value.getIntVal() != null) {
            int end = policyPort.getEndPort() != null ? policyPort.getEndPort() : value.getIntVal();
            return port >= value.getIntVal() && port <= end;
        }
        return containerPorts(workload).entrySet().stream()
                .anyMatch(e -> e.getKey().equals(value.getStrVal()) && e.getValue() == port);
    }

    /** The workload's container ports by name. */
    static Map<String, Integer> containerPorts(Manifests.Workload workload) {
        Map<String, Integer> ports = new TreeMap<>();
        workload.containers().forEach(c -> {
            for (ContainerPort p : c.getPorts()) {
                if (p.getName() != null) {
                    ports.put(p.getName(), p.getContainerPort());
                }
            }
        });
        return ports;
    }
}
