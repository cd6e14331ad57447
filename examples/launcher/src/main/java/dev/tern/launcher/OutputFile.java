package dev.tern.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a generated file that may hold secrets (an imported config, an exported {@code turnserver.conf}):
 * owner-only (mode 600) when a path is given, else to standard output. Stateless.
 */
final class OutputFile {

    private OutputFile() {
    }

    /** @throws LauncherException when the file cannot be written */
    static void write(Path file, String text, PrintWriter out) {
        if (file == null) {
            out.print(text);
            out.flush();
            return;
        }
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            out.println("Wrote " + file);
            out.flush();
        } catch (IOException e) {
            throw new LauncherException("Cannot write " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
