package io.streammetrics.alert;

/**
 * What happened to one notifier's events so far.
 *
 * @param sent    delivered ({@code notify} returned)
 * @param failed  {@code notify} threw
 * @param dropped did not fit the notifier's queue (it is too slow or hangs)
 * @param queued  waiting in the queue now
 */
public record NotificationStats(long sent, long failed, long dropped, int queued) {
}
