package io.jps.cli;

import io.jps.observe.BuildVersion;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = BuildVersion.current();
        return new String[] {"jose-payment-streams " + (version.equals(BuildVersion.DEVELOPMENT) ? "(development build)" : version)};
    }
}
