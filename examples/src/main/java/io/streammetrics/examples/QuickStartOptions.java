package io.streammetrics.examples;

import io.streammetrics.common.Durations;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The quick-start's command line. Every bad option fails {@link #parse} with a message naming it, for the user to
 * read instead of a stack trace.
 *
 * @param port       where to serve {@code /metrics} and {@code /api/} (0: any free port)
 * @param bind       the address to bind
 * @param duration   how long to run, or null for until Ctrl-C
 * @param rules      the rule file, or null for the one shipped in the jar ({@link QuickStart#RULES_RESOURCE})
 * @param rate       records per second the source emits
 * @param trouble    when the latency spike and error burst come, and for how long
 * @param help       whether {@code --help} was asked
 * @param remoteWrite a Prometheus remote-write URL to push to, or null
 * @param influx      an InfluxDB write URL ({@code /write?db=} or {@code /api/v2/write?bucket=}) to push to, or null
 * @param basicAuth   the user and password every request must carry (HTTP basic authentication), or null for none
 * @param bearerToken the token every request to the server must carry ({@code Authorization: Bearer}), or null
 *                    for none. With either, the operator API accepts acknowledgements and silences; without both
 *                    it refuses them
 */
record QuickStartOptions(int port, String bind, Duration duration, Path rules, int rate, TroubleSchedule trouble,
                         boolean help, String remoteWrite, String influx, BasicAuth basicAuth, String bearerToken) {

    /** A user and password for HTTP basic authentication. */
    record BasicAuth(String user, String password) {
        @Override
        public String toString() {
            return "BasicAuth[user=" + user + ", password=***]";
        }
    }

    static final String USAGE = """
            usage: java -jar streammetrics-examples.jar [options]
              A synthetic stream pipeline (source -> parse -> enrich -> sink) instrumented with streammetrics.
              --port N           port of /metrics and /api/* (default 9464; 0: any free port)
              --bind ADDRESS     address to listen on (default 127.0.0.1)
              --duration 60s     run that long, then stop (default: until Ctrl-C)
              --rules FILE       alert rules (YAML, see README "Rules"; default: the quick-start's own)
              --rate N           records per second the source emits (default 100000)
              --trouble-at 10s   when the latency spike and error burst start (default 10s)
              --trouble-for 15s  how long they last (default 15s; 0s: no trouble)
              --remote-write URL also push with Prometheus remote write, e.g. http://127.0.0.1:9090/api/v1/write
              --influx URL       also push InfluxDB line protocol, e.g. http://127.0.0.1:8086/write?db=metrics
                                 or http://127.0.0.1:8086/api/v2/write?org=ops&bucket=metrics (token: INFLUX_TOKEN)
              --basic-auth USER:PASSWORD  every request needs them (HTTP basic authentication): the browser asks for
                                 them when it opens the console, and acknowledging or silencing from it is allowed
              --bearer-token T   every request needs 'Authorization: Bearer T' (for curl and Prometheus; a
                                 browser cannot send it); acknowledging and silencing through /api/ is allowed
              --help             this text
            Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://127.0.0.1:4318) to also push OTLP.""";

    static QuickStartOptions defaults() {
        return new QuickStartOptions(9464, "127.0.0.1", null, null, 100_000,
                new TroubleSchedule(Duration.ofSeconds(10), Duration.ofSeconds(15)), false, null, null, null, null);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    static QuickStartOptions parse(String... args) {
        QuickStartOptions defaults = defaults();
        int port = defaults.port;
        String bind = defaults.bind;
        Duration duration = defaults.duration;
        Path rules = defaults.rules;
        int rate = defaults.rate;
        Duration troubleAt = defaults.trouble.start();
        Duration troubleFor = defaults.trouble.length();
        boolean help = false;
        String remoteWrite = defaults.remoteWrite;
        String influx = defaults.influx;
        BasicAuth basicAuth = defaults.basicAuth;
        String bearerToken = defaults.bearerToken;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") && isValueOption(option)
                        ? option + " needs a value" : "unknown option '" + option + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> port = port(value);
                case "--bind" -> bind = value;
                case "--duration" -> duration = Durations.positive(duration(option, value), option);
                case "--rules" -> rules = readable(value);
                case "--rate" -> rate = rate(value);
                case "--trouble-at" -> troubleAt = duration(option, value);
                case "--trouble-for" -> troubleFor = duration(option, value);
                case "--remote-write" -> remoteWrite = httpUrl(option, value);
                case "--influx" -> influx = httpUrl(option, value);
                case "--basic-auth" -> basicAuth = basicAuth(value);
                case "--bearer-token" -> bearerToken = token(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new QuickStartOptions(port, bind, duration, rules, rate, new TroubleSchedule(troubleAt, troubleFor), help,
                remoteWrite, influx, basicAuth, bearerToken);
    }

    private static String token(String value) {
        if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("--bearer-token: a token is printable ASCII without spaces");
        }
        return value;
    }

    private static boolean isValueOption(String option) {
        return USAGE.contains(option + " ");
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port: '" + value + "' is not a port number (0 to 65535)");
    }

    private static int rate(String value) {
        try {
            int rate = Integer.parseInt(value);
            if (rate > 0) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate: '" + value + "' is not a positive number of records per second");
    }

    private static Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static String httpUrl(String option, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not an http or https URL");
    }

    private static BasicAuth basicAuth(String value) {
        int colon = value.indexOf(':');
        // RFC 7617: the user cannot hold a colon; the password can.
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--basic-auth: give USER:PASSWORD, both non-empty");
        }
        return new BasicAuth(value.substring(0, colon), value.substring(colon + 1));
    }

    private static Path readable(String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("--rules: cannot read '" + value + "'");
        }
        return path;
    }
}
