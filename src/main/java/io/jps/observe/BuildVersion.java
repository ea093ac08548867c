package io.jps.observe;

/** The version of the running build, from the jar's manifest; a build run from classes has none. */
public final class BuildVersion {

    public static final String DEVELOPMENT = "development";

    private BuildVersion() {
    }

    public static String current() {
        String version = BuildVersion.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }
}
