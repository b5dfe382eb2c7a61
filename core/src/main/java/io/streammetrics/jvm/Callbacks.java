package io.streammetrics.jvm;

import io.streammetrics.common.Unit;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.Meter;

import java.util.function.DoubleSupplier;

/**
 * Registration shorthands of the collectors: families whose series are all sampled at snapshot time, from the
 * values their {@link JvmReadings} keep.
 */
final class Callbacks {
    private Callbacks() {
    }

    static GaugeFamily gaugeFamily(Meter engine, String name, String help, Unit unit, String... labelNames) {
        GaugeFamily.Builder builder = engine.gauge(name).help(help).labelNames(labelNames);
        return (unit == null ? builder : builder.unit(unit)).register();
    }

    static CounterFamily counterFamily(Meter engine, String name, String help, Unit unit,
                                       String... labelNames) {
        CounterFamily.Builder builder = engine.counter(name).help(help).labelNames(labelNames);
        return (unit == null ? builder : builder.unit(unit)).register();
    }

    /** An unlabelled gauge sampled from {@code value}, as {@code readings} caches it. */
    static void gauge(Meter engine, JvmReadings readings, String name, String help, Unit unit,
                      DoubleSupplier value) {
        gaugeFamily(engine, name, help, unit).callback(readings.cached(value));
    }

    /** An unlabelled counter whose total is sampled from {@code total}, as {@code readings} caches it. */
    static void counter(Meter engine, JvmReadings readings, String name, String help, Unit unit,
                        DoubleSupplier total) {
        counterFamily(engine, name, help, unit).callback(readings.cached(total));
    }

    /** A JMX reading where a negative value means "not available": NaN, which the snapshot skips. */
    static double availableOrNaN(double value) {
        return value < 0 ? Double.NaN : value;
    }
}
