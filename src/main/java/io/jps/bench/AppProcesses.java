package io.jps.bench;

import io.jps.app.Role;
import io.jps.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * App processes sharing the load the Kafka way: {@code run --role R} started N times, each a JVM of its own with the
 * same configuration and keys and a state directory of its own, so that the group spreads the tasks (and, with the
 * dispatcher, the sealed partitions) over them. Each writes its log next to its state.
 */
final class AppProcesses implements AutoCloseable {

    /** Long enough for a process to drain, commit and leave its groups when asked to stop. */
    private static final long STOP_SECONDS = 60;

    private final List<Process> processes;
    private final List<Path> logs;
    /** A benchmark stopped with Ctrl-C must not leave its app processes behind, retrying a broker that is gone. */
    private final Thread stopOnExit;

    private AppProcesses(List<Process> processes, List<Path> logs) {
        this.processes = processes;
        this.logs = logs;
        this.stopOnExit = new Thread(() -> processes.forEach(Process::destroyForcibly), "bench-app-processes-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    static AppProcesses start(int count, Role role, Path config, Path keys, Path kafkaProperties, Path dir) throws IOException {
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        AppProcesses started = new AppProcesses(processes, logs);
        try {
            for (int i = 0; i < count; i++) {
                Path log = dir.resolve("app-" + i + ".log");
                List<String> command = ThisJava.command(List.of(), Main.class, List.of("run",
                        "--role", role.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        "--config", config.toString(), "--keys", keys.toString(), "--kafka-properties", kafkaProperties.toString(),
                        "--state-dir", dir.resolve("state-" + i).toString(), "--metrics-host", "127.0.0.1", "--metrics-port", "0"));
                processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
                logs.add(log);
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Throws, naming its log, if one of the processes has ended: a benchmark must not wait out its patience for it. */
    void checkAlive() {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                throw new IllegalStateException("app process " + i + " ended with exit code " + processes.get(i).exitValue()
                        + "; its log: " + logs.get(i));
            }
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is stopping them
        }
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
