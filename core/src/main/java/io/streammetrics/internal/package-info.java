/**
 * streammetrics' implementation, in sub-packages: {@code registry} (registration), {@code ring} (the record path's
 * cells and producer rings), {@code aggregate} (the single writer), {@code store} (the off-heap layout and its
 * readers), {@code exponential} (exponential bucket mapping) and {@code text} (number formatting).
 *
 * <p>As in the OpenTelemetry SDK, everything under {@code io.streammetrics.internal} is public only so that
 * streammetrics' own modules can use it; it is not API and may change in any release without notice.
 */
package io.streammetrics.internal;
