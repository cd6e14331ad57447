package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed BPF object is the compiled program source: rebuilding {@code src/main/bpf/tern_tc.c} with
 * {@code build.sh} (clang, libbpf-dev headers) gives the same bytes. A fresh clone builds with JDK and Maven alone
 * from the committed object; this test keeps the object honest wherever clang is installed (CI installs it).
 */
class TcProgramObjectTest {

    @Test
    void committedObjectIsTheCompiledSource(@TempDir Path tmp) throws Exception {
        Processes.require("clang", "apt-get install clang llvm libbpf-dev (see .ci/run)");
        Path out = tmp.resolve("tern_tc.bpf.o");
        Path log = tmp.resolve("build.log");
        Process build = Processes.start(List.of("sh", "src/main/bpf/build.sh", out.toString()), log);
        if (!build.waitFor(120, TimeUnit.SECONDS)) {
            Processes.stop(build);
        }
        assertEquals(0, build.exitValue(), () -> "build.sh failed:\n" + Processes.read(log));
        assertArrayEquals(Files.readAllBytes(Path.of("src/main/resources/dev/tern/relay/kernel/tern_tc.bpf.o")),
                Files.readAllBytes(out),
                "src/main/bpf/tern_tc.c changed without rebuilding the object: run impl-relay/src/main/bpf/build.sh "
                        + "and commit src/main/resources/dev/tern/relay/kernel/tern_tc.bpf.o");
    }
}
