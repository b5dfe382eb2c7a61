package io.streammetrics.push;

/**
 * What a receiver answered to one push, reduced to what the loop decides on: the status (0 when no answer came:
 * connection refused, reset, timeout), the {@code Retry-After} wait, and the start of the body for the log.
 */
record PushResponse(int status, long retryAfterNanos, String detail) {
    /** 2xx: the receiver took the batch. */
    boolean accepted() {
        return status >= 200 && status < 300;
    }

    /**
     * No answer, 5xx, 429 (too many requests) or 408 (request timeout): the receiver may take the batch later, so
     * it is retried after a back-off. Any other answer (4xx, and the 3xx that a push does not follow) means it will
     * never take it: the batch is dropped and counted, as the remote-write specification says.
     */
    boolean retryable() {
        return status == 0 || status >= 500 || status == 429 || status == 408;
    }
}
