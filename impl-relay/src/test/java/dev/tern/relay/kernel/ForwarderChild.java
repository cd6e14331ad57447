package dev.tern.relay.kernel;

import java.util.List;

/**
 * A JVM of its own that opens a forwarder on the interfaces named in its arguments, for the tests of what another
 * process sees: prints {@code open} and waits until stdin closes or it is killed, or prints
 * {@code unavailable: REASON} and exits with 3.
 */
public final class ForwarderChild {

    private ForwarderChild() {
    }

    public static void main(String[] args) throws Exception {
        KernelForwarder forwarder;
        try {
            forwarder = KernelForwarder.open(List.of(args));
        } catch (KernelPlaneUnavailableException e) {
            System.out.println("unavailable: " + e.getMessage());
            System.out.flush();
            System.exit(3);
            return;
        }
        System.out.println("open");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait: the test kills this process, or closes stdin to have it close the forwarder
        }
        forwarder.close();
    }
}
