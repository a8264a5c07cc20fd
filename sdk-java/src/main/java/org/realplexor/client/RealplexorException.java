package org.realplexor.client;

/**
 * The one exception type of this client: invalid arguments (an id that is not {@code \w+},
 * a non-numeric cursor), network failures (refused connection, timeouts) and answers that
 * are not a well-formed HTTP 200.
 *
 * <p>The message says what happened; for a non-200 answer it carries the status line and
 * the body, e.g. {@code Request failed: 403 Access Deined\nunknown login: bob\n}, and
 * {@link #statusCode()} and {@link #responseBody()} give the parts.
 */
public class RealplexorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status code of the server's answer, or -1 when there was none. */
    private final int statusCode;
    /** The body of the server's answer, or {@code null} when there was none. */
    private final String responseBody;

    /**
     * An error that did not come with an HTTP answer (validation, network).
     *
     * @param message what happened, for people
     */
    public RealplexorException(String message) {
        this(message, null);
    }

    /**
     * An error caused by {@code cause}, typically an {@link java.io.IOException}.
     *
     * @param message what happened, for people
     * @param cause the underlying failure
     */
    public RealplexorException(String message, Throwable cause) {
        super(message, cause);
        this.statusCode = -1;
        this.responseBody = null;
    }

    /**
     * A server answer that was not an acceptable HTTP 200.
     *
     * @param message what happened, for people
     * @param statusCode the HTTP status code of the answer
     * @param responseBody the body of the answer
     */
    public RealplexorException(String message, int statusCode, String responseBody) {
        super(message);
        this.statusCode = statusCode;
        this.responseBody = responseBody;
    }

    /**
     * The HTTP status code of the server's answer, or -1 when there was no HTTP answer.
     *
     * @return the status code, or -1
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The body of the server's answer, or {@code null} when there was no HTTP answer.
     *
     * @return the body, or {@code null}
     */
    public String responseBody() {
        return responseBody;
    }
}
