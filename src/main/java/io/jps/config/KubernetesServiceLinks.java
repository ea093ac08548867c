package io.jps.config;

import java.util.regex.Pattern;

/**
 * The environment variables Kubernetes gives every pod for a Service named {@code jps} in its namespace
 * (unless the pod sets {@code enableServiceLinks: false}): they share our {@code JPS_} prefix but are not
 * configuration. Only their exact shapes pass, so that a mistyped key still stops the start.
 */
final class KubernetesServiceLinks {

    // JPS_SERVICE_HOST, JPS_SERVICE_PORT, JPS_SERVICE_PORT_<PORT NAME>; JPS_PORT=tcp://10.0.0.1:9464,
    // JPS_PORT_9464_TCP and its _PROTO, _PORT and _ADDR parts (TCP, UDP or SCTP)
    private static final Pattern SHAPES = Pattern.compile(
            "JPS_SERVICE_HOST|JPS_SERVICE_PORT(_[A-Z0-9_]+)?|JPS_PORT|JPS_PORT_[0-9]{1,5}_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?");

    private KubernetesServiceLinks() {
    }

    static boolean matches(String variable) {
        return SHAPES.matcher(variable).matches();
    }
}
