package org.realplexor.protocol;

/**
 * What {@link InReader#read} made of the bytes so far: wait for more, act on a complete request,
 * or refuse it.
 */
public sealed interface InStep permits InStep.More, InStep.Done, InStep.Refused {
    /** Not complete yet: wait for more bytes or the end of input. */
    More MORE = new More(false);
    /** As {@link #MORE}, and the client waits for "100 Continue" before it sends its body (said once). */
    More ASK_FOR_BODY = new More(true);

    record More(boolean askForBody) implements InStep {}

    /** The request is complete: act on it. */
    record Done(InRequest request) implements InStep {}

    /** The bytes cannot be a request: answer {@code status}; {@code reason} says why, in a sentence. */
    record Refused(String status, String reason) implements InStep {}
}
