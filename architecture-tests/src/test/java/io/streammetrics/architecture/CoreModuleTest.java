package io.streammetrics.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.streammetrics.MetricsEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Module core is the engine only. Only core's own classes are imported (from wherever the build put them: its
 * classes directory or its jar), so that the rule sees what a user who depends on core alone gets.
 */
class CoreModuleTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() throws IOException, URISyntaxException {
        Path location = Path.of(MetricsEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassFileImporter importer = new ClassFileImporter();
        if (Files.isDirectory(location)) {
            core = importer.importPath(location);
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                core = importer.importJar(jar);
            }
        }
    }

    @Test
    void core_depends_on_no_yaml_json_or_http() {
        noClasses()
                .should().dependOnClassesThat().resideInAnyPackage(Layers.YAML_JSON_HTTP)
                .because("users who only record and scrape depend on core and an exporter, and nothing else")
                .check(core);
    }

    @Test
    void core_holds_and_uses_no_alerting() {
        noClasses()
                .should().resideInAnyPackage(Layers.ALERTING)
                .orShould().dependOnClassesThat().resideInAnyPackage(Layers.ALERTING)
                .because("rules, windows, evaluator, notifiers, health and dashboard data are module alerting's, "
                        + "built on the engine, never under it")
                .check(core);
    }
}
