package io.streammetrics.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, read once from the jar: the console's own HTML, CSS and JavaScript, and uPlot's from its webjar
 * (whose version comes from the webjar's own {@code pom.properties}, so a version bump in the POM needs no code
 * change).
 */
final class StaticResources {
    /** A file to serve: its bytes and content type. */
    record Resource(byte[] bytes, String contentType) {
    }

    private static final String OWN = "/io/streammetrics/console/static/";
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final Map<String, Resource> byPath;

    StaticResources() {
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        byPath = Map.of(
                "", read(OWN + "index.html", "text/html; charset=utf-8"),
                "console.js", read(OWN + "console.js", "text/javascript; charset=utf-8"),
                "console.css", read(OWN + "console.css", "text/css; charset=utf-8"),
                "uplot/uPlot.iife.min.js", read(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "uplot/uPlot.min.css", read(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    /** The file at {@code path} (relative to the console's prefix), or null. */
    Resource get(String path) {
        return byPath.get(path);
    }

    private static String uplotVersion() {
        try (InputStream in = StaticResources.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("uPlot's webjar (org.webjars.npm:uplot) is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resource read(String name, String contentType) {
        try (InputStream in = StaticResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("console resource " + name + " is missing from the class path");
            }
            return new Resource(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
