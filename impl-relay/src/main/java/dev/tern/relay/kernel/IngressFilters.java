package dev.tern.relay.kernel;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tern's TC filters on the clsact ingress hook of network interfaces: attaching, detaching, and removing the ones a
 * crashed Tern process left behind.
 *
 * <p>Every Tern filter sits at {@link #PRIORITY}; its handle is {@code pid << 8 | n}: the owning process id and a
 * number that tells apart the forwarders one process has open. A filter is stale when no live process holds its
 * program: either its pid is gone, or the process now at that pid has no file descriptor for that program (the pid
 * was reused). Listing the filters of an interface uses {@code tc -j filter show} (iproute2), since libbpf 1.1 can
 * query a filter only by a known handle.
 */
final class IngressFilters {

    /** The TC priority (preference) of every Tern filter. */
    static final int PRIORITY = 0x7e4e;
    /** Forwarders one process may have attached to one interface at once. */
    static final int PER_PROCESS = 256;

    private static final Logger log = LoggerFactory.getLogger(IngressFilters.class);
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    /** A bpf filter in {@code tc -j filter show} output: its preference, handle and program id. */
    private static final Pattern FILTER = Pattern.compile(
            "\"pref\":(\\d+),\"kind\":\"bpf\"[^{}]*\"options\":\\{\"handle\":\"0x([0-9a-f]+)\""
                    + "[^}]*?\"prog\":\\{\"id\":(\\d+)");

    private final LibBpf bpf;
    private final LibC libc;

    IngressFilters(LibBpf bpf, LibC libc) {
        this.bpf = bpf;
        this.libc = libc;
    }

    /** A filter attached by this process: where, with which handle. */
    record Attached(String iface, int ifindex, int handle) {
    }

    /**
     * Attaches {@code progFd} to the ingress hook of {@code iface} (creating the clsact qdisc when missing) with the
     * first handle of this process not yet used there.
     */
    Attached attach(String iface, int progFd) throws KernelPlaneUnavailableException {
        int ifindex = libc.if_nametoindex(iface);
        if (ifindex == 0) {
            throw new KernelPlaneUnavailableException("no network interface named '" + iface + "'");
        }
        Memory hook = hook(ifindex, LibBpf.BPF_TC_INGRESS);
        int rc = bpf.bpf_tc_hook_create(hook);
        if (rc < 0 && rc != -EEXIST) {
            throw new KernelPlaneUnavailableException("cannot add the clsact qdisc to interface '" + iface + "': "
                    + reason(-rc) + (rc == -1 ? " (no CAP_NET_ADMIN?)" : ""));
        }
        long pid = ProcessHandle.current().pid();
        for (int n = 0; n < PER_PROCESS; n++) {
            int handle = (int) (pid << 8) | n;
            Memory opts = opts(handle);
            opts.setInt(LibBpf.TC_OPTS_PROG_FD, progFd);
            rc = bpf.bpf_tc_attach(hook, opts);
            if (rc == 0) {
                return new Attached(iface, ifindex, handle);
            }
            if (rc != -EEXIST) {
                throw new KernelPlaneUnavailableException("cannot attach the TC program to interface '" + iface
                        + "': " + reason(-rc));
            }
        }
        throw new KernelPlaneUnavailableException("interface '" + iface + "' already has " + PER_PROCESS
                + " Tern filters of this process");
    }

    /** Detaches a filter this process attached; removes the clsact qdisc when no filter at all is left on it. */
    void detach(Attached filter) {
        Memory hook = hook(filter.ifindex(), LibBpf.BPF_TC_INGRESS);
        int rc = bpf.bpf_tc_detach(hook, opts(filter.handle()));
        if (rc < 0 && rc != -ENOENT) {
            log.warn("Could not detach the kernel plane's filter {} from {}: {}",
                    Integer.toHexString(filter.handle()), filter.iface(), reason(-rc));
        }
        removeQdiscIfEmpty(filter.iface(), filter.ifindex());
    }

    /** Detaches the Tern filters on {@code iface} whose program no live process holds; returns how many. */
    int removeStale(String iface) {
        int ifindex = libc.if_nametoindex(iface);
        if (ifindex == 0) {
            return 0;
        }
        String json;
        try {
            json = tc("-j", "filter", "show", "dev", iface, "ingress");
        } catch (IOException e) {
            log.warn("Cannot list the TC filters on {} to remove what a crashed Tern process left: {}",
                    iface, e.getMessage());
            return 0;
        }
        int removed = 0;
        Matcher m = FILTER.matcher(json);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != PRIORITY) {
                continue;
            }
            int handle = (int) Long.parseLong(m.group(2), 16);
            long pid = Integer.toUnsignedLong(handle) >>> 8;
            int progId = Integer.parseInt(m.group(3));
            if (holdsProgram(pid, progId)) {
                continue;
            }
            int rc = bpf.bpf_tc_detach(hook(ifindex, LibBpf.BPF_TC_INGRESS), opts(handle));
            if (rc == 0 || rc == -ENOENT) {
                removed++;
                log.info("Removed the kernel plane filter {} of dead process {} from {}",
                        Integer.toHexString(handle), pid, iface);
            } else {
                log.warn("Could not remove stale kernel plane filter {} from {}: {}",
                        Integer.toHexString(handle), iface, reason(-rc));
            }
        }
        return removed;
    }

    /** The handles of Tern filters on the ingress hook of {@code iface} (for tests and diagnostics). */
    List<Integer> ternHandles(String iface) throws IOException {
        List<Integer> handles = new ArrayList<>();
        Matcher m = FILTER.matcher(tc("-j", "filter", "show", "dev", iface, "ingress"));
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == PRIORITY) {
                handles.add((int) Long.parseLong(m.group(2), 16));
            }
        }
        return handles;
    }

    private void removeQdiscIfEmpty(String iface, int ifindex) {
        try {
            boolean empty = isEmptyList(tc("-j", "filter", "show", "dev", iface, "ingress"))
                    && isEmptyList(tc("-j", "filter", "show", "dev", iface, "egress"));
            if (empty) {
                bpf.bpf_tc_hook_destroy(hook(ifindex, LibBpf.BPF_TC_INGRESS | LibBpf.BPF_TC_EGRESS));
            }
        } catch (IOException e) {
            log.debug("Leaving the clsact qdisc on {}: cannot list its filters ({})", iface, e.getMessage());
        }
    }

    private static boolean isEmptyList(String json) {
        return json.strip().equals("[]") || json.isBlank();
    }

    /** Whether process {@code pid} is alive and has a file descriptor for BPF program {@code progId}. */
    private static boolean holdsProgram(long pid, int progId) {
        Path fdinfo = Path.of("/proc", Long.toString(pid), "fdinfo");
        if (!Files.isDirectory(fdinfo)) {
            return false;
        }
        String wanted = "prog_id:\t" + progId + "\n";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdinfo)) {
            for (Path fd : fds) {
                try {
                    if (Files.readString(fd).contains(wanted)) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing: not the one held for the program
                }
            }
        } catch (IOException e) {
            return Files.isDirectory(fdinfo); // cannot look inside: keep a live process's filter
        }
        return false;
    }

    private static String tc(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("tc");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run tc (iproute2): " + e.getMessage(), e);
        }
        try (InputStream out = p.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tc did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IOException("tc " + String.join(" ", args) + " failed: " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running tc", e);
        }
    }

    private static Memory hook(int ifindex, int attachPoint) {
        Memory hook = new Memory(LibBpf.TC_HOOK_SIZE);
        hook.clear();
        hook.setLong(0, LibBpf.TC_HOOK_SIZE);
        hook.setInt(LibBpf.TC_HOOK_IFINDEX, ifindex);
        hook.setInt(LibBpf.TC_HOOK_ATTACH_POINT, attachPoint);
        return hook;
    }

    private static Memory opts(int handle) {
        Memory opts = new Memory(LibBpf.TC_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, LibBpf.TC_OPTS_SIZE);
        opts.setInt(LibBpf.TC_OPTS_HANDLE, handle);
        opts.setInt(LibBpf.TC_OPTS_PRIORITY, PRIORITY);
        return opts;
    }

    private String reason(int errno) {
        return libc.strerror(errno) + " (errno " + errno + ")";
    }
}
