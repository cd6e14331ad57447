package dev.tern.relay.kernel;

/**
 * The kernel plane cannot run here; the message is one line saying why (no CAP_BPF/CAP_NET_ADMIN, libbpf missing,
 * the program refused by the verifier, attaching to a named interface failed). The relay then forwards in user
 * space.
 */
public final class KernelPlaneUnavailableException extends Exception {

    public KernelPlaneUnavailableException(String reason) {
        super(reason);
    }

    public KernelPlaneUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
