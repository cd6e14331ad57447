package dev.tern.launcher;

import picocli.CommandLine.IVersionProvider;

/** {@code tern --version}: the version in the jar's manifest. Stateless. */
final class LauncherVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = TernCli.class.getPackage().getImplementationVersion();
        return new String[] {"tern " + (version == null ? "(development build)" : version)};
    }
}
