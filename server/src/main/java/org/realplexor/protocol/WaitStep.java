package org.realplexor.protocol;

/**
 * What {@link WaitReader#read} made of the bytes so far: wait for more, end without a word,
 * serve a request, or refuse it.
 */
public sealed interface WaitStep permits WaitStep.More, WaitStep.Close, WaitStep.Done, WaitStep.Refused {
    /** Not decided yet: wait for more bytes (or the end of input). */
    More MORE = new More();
    /** End the connection with no answer, as the original did for a request that names no ids. */
    Close CLOSE = new Close();

    record More() implements WaitStep {}

    record Close() implements WaitStep {}

    /** Serve {@code request} as its route says. */
    record Done(WaitRequest request) implements WaitStep {}

    /** Answer {@code status} (text/plain) with {@code reason}, a sentence saying what was wrong. */
    record Refused(String status, String reason) implements WaitStep {}
}
