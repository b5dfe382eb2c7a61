package io.streammetrics.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of issue 16 over the classes of every library module (benchmarks and examples are users, not
 * layers): no package cycle, a record path that knows nothing of snapshots, exporters or alerting, and exporters
 * that read the engine without touching its cells, rings or aggregator.
 */
@AnalyzeClasses(packages = "io.streammetrics", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /**
     * Every package its own slice (not a package and its sub-packages together: {@code alert} and
     * {@code alert.expr} are two layers, and a cycle between them is a cycle).
     */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals("io.streammetrics") || name.startsWith("io.streammetrics.")
                    ? SliceIdentifier.of(name)
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of io.streammetrics";
        }
    };

    @ArchTest
    static final ArchRule no_package_cycles = slices().assignedFrom(BY_PACKAGE)
            .should().beFreeOfCycles()
            .because("a package graph with a cycle has no layers: each package must be understandable and "
                    + "testable with only the packages below it");

    @ArchTest
    static final ArchRule vocabulary_depends_on_nothing_else_of_ours = noClasses()
            .that().resideInAPackage(Layers.VOCABULARY)
            .should().dependOnClassesThat(resideInAPackage(Layers.ALL)
                    .and(DescribedPredicate.not(resideInAPackage(Layers.VOCABULARY))))
            .because("metric types, units, bucket layouts and the clock are the words every layer uses: "
                    + "they sit below all of them");

    @ArchTest
    static final ArchRule record_path_knows_nothing_of_readers_exporters_or_alerting = noClasses()
            .that().resideInAnyPackage(Layers.RECORD_PATH)
            .should().dependOnClassesThat().resideInAnyPackage(
                    Layers.concat(Layers.SNAPSHOTS, Layers.EXPORTERS, Layers.ALERTING))
            .because("recording and applying records must not change when a reader, exporter or alerting does");

    @ArchTest
    static final ArchRule exporters_do_not_use_cells_rings_or_the_aggregator = noClasses()
            .that().resideInAnyPackage(Layers.EXPORTERS)
            .should().dependOnClassesThat().resideInAnyPackage(Layers.ENGINE_INTERNALS_EXPORTERS_MUST_NOT_USE)
            .because("exporters read snapshots and the store; the record path is the engine's own business");
}
