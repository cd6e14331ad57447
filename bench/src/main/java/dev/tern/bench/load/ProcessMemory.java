package dev.tern.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of a process from {@code /proc/PID/status} ({@code VmRSS}): what a process holds in
 * RAM, heap or not, for comparing a C server with a JVM. Kernel socket buffers are not in it.
 *
 * <p>Thread-safe (stateless). Linux only: elsewhere, and for a process that is gone, it throws.
 */
public final class ProcessMemory {

    private final long pid;

    /** @param pid the process to watch */
    public ProcessMemory(long pid) {
        this.pid = pid;
    }

    /** Resident set size in bytes. */
    public long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] words = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(words[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
