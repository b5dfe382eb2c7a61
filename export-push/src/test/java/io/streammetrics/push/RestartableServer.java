package io.streammetrics.push;

import io.streammetrics.testing.ServerProcess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real database for the push ITs, on a fixed 127.0.0.1 port and data directory, that a test can kill (SIGKILL, as
 * a crash) and start again where it left off: the outage tests' receiver.
 */
public final class RestartableServer implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final URI ready;
    private final Duration startup;
    private ServerProcess process;

    /**
     * @param command the full command line (port and data directory already in it)
     * @param ready   a URL that answers 200 once the server takes writes
     */
    public RestartableServer(String name, List<String> command, Path log, URI ready, Duration startup) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.ready = ready;
        this.startup = startup;
    }

    /** Starts the server and waits until it is ready. */
    public RestartableServer start() throws IOException, InterruptedException {
        process = ServerProcess.start(name, command, log, ready, startup);
        return this;
    }

    /** Kills the server (SIGKILL). */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** The server's output so far, for failure messages. */
    public String logText() {
        return process == null ? "(not started)" : process.logText();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
