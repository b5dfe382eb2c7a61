/**
 * streammetrics' implementation, in sub-packages: {@code registry} (registration), {@code cell} (the record path's
 * per-thread counter and histogram cells), {@code ring} (its producer rings and the exemplar gate),
 * {@code exemplar} (the OpenTelemetry current-span source), {@code aggregate} (the single writer), {@code store}
 * (the off-heap layout and its readers), {@code exponential} (exponential bucket mapping) and {@code text} (number
 * formatting). Each sub-package's documentation says what it may depend on.
 *
 * <p>As in the OpenTelemetry SDK, everything under {@code io.streammetrics.internal} is public only so that
 * streammetrics' own modules can use it; it is not API and may change in any release without notice.
 */
package io.streammetrics.internal;
