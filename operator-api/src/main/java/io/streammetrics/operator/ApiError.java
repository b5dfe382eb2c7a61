package io.streammetrics.operator;

/** A request the API refuses: the HTTP status and a message for the client, answered as {@code {"error":"..."}}. */
final class ApiError extends RuntimeException {
    private final int status;
    private final String allow;

    ApiError(int status, String message) {
        this(status, message, null);
    }

    private ApiError(int status, String message, String allow) {
        // No stack trace: a refusal is an answer, not a failure to debug.
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    /** 405 for a known path, with the methods it takes ({@code Allow}). */
    static ApiError methodNotAllowed(String method, String allow) {
        return new ApiError(405, "method " + method + " not allowed here (allowed: " + allow + ")", allow);
    }

    int status() {
        return status;
    }

    /** The {@code Allow} header of a 405, else null. */
    String allow() {
        return allow;
    }
}
