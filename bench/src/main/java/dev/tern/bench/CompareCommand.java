package dev.tern.bench;

import java.io.PrintStream;

/** The {@code compare} subcommand (filled in below). */
final class CompareCommand {

    private CompareCommand() {
    }

    static int run(String[] argv, PrintStream out) {
        throw new IllegalArgumentException("compare: not available yet");
    }
}
