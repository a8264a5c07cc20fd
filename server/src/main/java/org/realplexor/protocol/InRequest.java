package org.realplexor.protocol;

/**
 * A complete IN request, as the handler acts on it: a command (at the very start, or as the whole
 * body) or a message to publish. A check that needs more of the request (a header, say) reads it
 * here, before the handler acts.
 *
 * @param identifiers the {@code identifier=} list, or null when the request has none
 * @param command     the command, or null for a publish
 * @param body        the body to publish (null for a command at the very start)
 * @param bytes       the request's bytes, its head in {@code [0, headEnd)}; not copied, not to be changed
 * @param headEnd     where the head ends (0: a command without a head)
 * @param end         where the request ends in {@code bytes}: on a kept-alive connection the next one starts there
 * @param keepAlive   the client asked to keep the connection (HTTP/1.1, {@code Connection: keep-alive}, a length)
 * @param batch       the body is a batch of messages ({@link PublishBatch})
 */
public record InRequest(
        IdentifierList identifiers,
        InCommand command,
        byte[] body,
        byte[] bytes,
        int headEnd,
        int end,
        boolean keepAlive,
        boolean batch) {
    /** The value of the first header {@code name} (case-insensitive) in the head, or null. */
    public String header(String name) {
        return RawRequest.header(bytes, headEnd, name);
    }

    /**
     * Why this publish cannot be carried out (a sentence, without the final "nothing was
     * published"), or null when it can; credentials are checked before.
     *
     * @param identifier the IDENTIFIER knob, named in the answer to a request without one
     */
    public String publishRefusal(String identifier) {
        if (identifiers == null) {
            return "no " + identifier + "=... found in the request (e.g. a header X-Realplexor: " + identifier + "=ID)";
        }
        if (identifiers.overLimit() != null) return identifiers.overLimit();
        if (body.length == 0) return "the message body is empty";
        int invalid = Utf8.firstInvalid(body);
        // WebSocket frames and EventSource carry UTF-8 only: one message must reach every transport alike.
        if (invalid >= 0) return "the message body is not valid UTF-8 (byte offset " + invalid + ")";
        return null;
    }
}
