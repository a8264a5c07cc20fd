package org.realplexor.protocol;

import java.util.Arrays;

/**
 * Reads one IN request as it arrives: fed the bytes received so far (the same array, or a longer
 * copy of it, with more at its end) at every read, it says whether the request is complete and
 * what it holds. What earlier reads learnt (where the head ends, its headers, the chunks decoded
 * so far, how far a command's line end was looked for) is kept, so each read costs about its own
 * bytes. No I/O and no limits: the handler owns those.
 *
 * <p>A request is complete, for the original's clients, at their half-close (the body is then
 * everything after the blank line, whatever Content-Length said); for standard HTTP clients when
 * exactly their declared Content-Length has arrived, or the last chunk of a chunked body.
 */
public final class InReader {
    /** Up to this many bytes, every read looks for the identifier (a wrong password is refused at once). */
    static final int SCAN_EVERY_READ = 16 * 1024;

    private final IdentifierScanner scanner;
    private IdentifierList identifiers;
    /** The request's length when the identifier was last looked for and not found. */
    private int idSearched;
    /** A command at the start whose line has not ended yet, and how far its line end was looked for. */
    private InCommand unfinishedCommand;

    private int commandSearched;
    /** Where the head ends and the body starts, once the blank line has arrived; -1 until then. */
    private int bodyStart = -1;
    /** How far the search for the blank line has got. */
    private int headSearched;
    /** From the head, read once: the declared Content-Length (-1: none) and the Expect header. */
    private long declared = -1;

    private boolean expectsContinue;
    private boolean askedForBody;
    /** The body's decoder when it is sent in chunks, else null; and the body once decoded. */
    private ChunkedBody.Decoder chunks;

    private byte[] chunkedBody;
    /**
     * From the head: an HTTP/1.1 request with {@code Connection: keep-alive} and a length (a
     * Content-Length or chunks). Such a request ends where its length says, whatever follows:
     * the bytes after it are the next request on the same connection.
     */
    private boolean keepAlive;
    /** From the head: a batch ({@link PublishBatch#HEADER}); its body holds the messages' ids. */
    private boolean batch;

    public InReader(IdentifierScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * The identifier list, once complete (null until then); found once, then kept. It is nearly
     * always in the first read. Past the first {@link #SCAN_EVERY_READ} bytes, one that is not
     * there yet is looked for again only once the request has doubled, unless {@code force}, so
     * that a large request arriving in many small reads is not scanned from its start at every read.
     */
    public IdentifierList identifiers(byte[] b, int len, boolean atEnd, boolean force) {
        if (identifiers != null) return identifiers;
        if (!force && len > SCAN_EVERY_READ && len < 2 * idSearched) return null;
        idSearched = len;
        // Only this request's bytes: on a kept-alive connection the next request may follow it,
        // and a batch's body names each message's ids, not the request's.
        int own = headFound(b, len) ? ownEnd(len) : len;
        identifiers = scanner.scan(b, own, atEnd || own < len);
        return identifiers;
    }

    /** How far this request's identifier may be: its head for a batch, its end when kept alive. */
    private int ownEnd(int len) {
        if (batch) return bodyStart;
        if (!keepAlive) return len;
        if (chunks != null) return chunkedBody != null ? chunks.end() : bodyStart;
        return (int) Math.min(len, bodyStart + declared);
    }

    /** Whether the request (once its head has arrived) keeps the connection open after its answer. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** The Content-Length the head declared, or -1 (none, empty, or not a number). */
    public long declared() {
        return declared;
    }

    /**
     * Goes on with {@code b[0, len)}; {@code atEnd} when no more bytes will come. A complete
     * request is read again, whole, at every call until the handler acts on it (the body of a
     * half-closing client is whatever arrived); its identifier is looked for once more first.
     */
    public InStep read(byte[] b, int len, boolean atEnd) {
        InCommand cmd = commandAt(b, len, atEnd);
        if (cmd != null) return cmd.complete() ? done(b, len, atEnd, cmd, null, 0) : InStep.MORE;
        if (!headFound(b, len)) return InStep.MORE;
        if (chunks != null) return chunked(b, len, atEnd);
        int bodyLen = len - bodyStart;
        if (keepAlive && bodyLen >= declared) {
            int end = (int) (bodyStart + declared);
            return body(b, end, true, Arrays.copyOfRange(b, bodyStart, end));
        }
        if (!atEnd && declared != bodyLen) return declared > bodyLen ? askForBody() : InStep.MORE;
        return body(b, len, atEnd, Arrays.copyOfRange(b, bodyStart, len));
    }

    /** The body is a command or a message; the request ends at {@code end}. */
    private InStep body(byte[] b, int end, boolean atEnd, byte[] body) {
        InCommand cmd = batch ? null : InCommand.at(body, 0, body.length, true);
        return done(b, end, atEnd, cmd, body, bodyStart);
    }

    private InStep done(byte[] b, int end, boolean atEnd, InCommand cmd, byte[] body, int headEnd) {
        IdentifierList ids = identifiers(b, end, atEnd, true);
        return new InStep.Done(new InRequest(ids, cmd, body, b, headEnd, end, keepAlive, batch));
    }

    /**
     * A command at the very start (the original's clients may send one without any HTTP head).
     * While its line is unfinished, a read looks only at its own bytes for the line's end.
     */
    private InCommand commandAt(byte[] b, int len, boolean atEnd) {
        // (Only once a byte after the name has arrived: "ONLINEX" is no command.)
        if (unfinishedCommand != null
                && !atEnd
                && commandSearched > unfinishedCommand.name().length()) {
            int from = commandSearched;
            commandSearched = len;
            boolean ended = false;
            for (int i = from; i < len && !ended; i++) ended = b[i] == '\n';
            if (!ended) return unfinishedCommand;
        }
        InCommand cmd = InCommand.at(b, 0, len, atEnd);
        unfinishedCommand = cmd != null && !cmd.complete() ? cmd : null;
        commandSearched = len;
        return cmd;
    }

    /** Looks for the end of the head in the new bytes; once found, reads the headers that matter. */
    private boolean headFound(byte[] b, int len) {
        if (bodyStart >= 0) return true;
        bodyStart = RawRequest.bodyStart(b, Math.max(0, headSearched - 2), len);
        headSearched = len;
        if (bodyStart < 0) return false;
        declared = contentLength(b, bodyStart);
        String expect = RawRequest.header(b, bodyStart, "Expect");
        expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue");
        if (chunked(b, bodyStart)) chunks = new ChunkedBody.Decoder(bodyStart);
        keepAlive = (declared >= 0 || chunks != null) && keptAlive(b, bodyStart);
        batch = RawRequest.header(b, bodyStart, PublishBatch.HEADER) != null;
        return true;
    }

    /**
     * A chunked body, decoded as it arrives. Once decoded it is kept: the decoder has moved past
     * it, and a request read again (after a password check) is the same request.
     */
    private InStep chunked(byte[] b, int len, boolean atEnd) {
        if (chunkedBody == null) {
            try {
                chunkedBody = chunks.feed(b, len);
            } catch (ChunkedBody.Malformed e) {
                return new InStep.Refused("400 Bad Request", "the chunked body is malformed (" + e.getMessage() + ")");
            }
        }
        if (chunkedBody != null)
            return keepAlive ? body(b, chunks.end(), true, chunkedBody) : body(b, len, atEnd, chunkedBody);
        if (atEnd) return new InStep.Refused("400 Bad Request", "the chunked body ended before its last chunk");
        return askForBody();
    }

    /** curl and others wait for "100 Continue" before a large body; old clients never ask. */
    private InStep askForBody() {
        if (askedForBody || !expectsContinue) return InStep.MORE;
        askedForBody = true;
        return InStep.ASK_FOR_BODY;
    }

    /** Standard HTTP clients send a body of unknown length in chunks; old clients never do. */
    private static boolean chunked(byte[] b, int headEnd) {
        if (!RawRequest.startsWithRequestLine(b, headEnd)) return false;
        String te = RawRequest.header(b, headEnd, "Transfer-Encoding");
        if (te == null) return false;
        String[] codings = te.split(",");
        return codings[codings.length - 1].trim().equalsIgnoreCase("chunked"); // chunked comes last
    }

    /**
     * The opt-in to keep the connection: an HTTP/1.1 request line and {@code keep-alive} among the
     * Connection header's tokens. An HTTP/1.1 request without the header is answered and closed
     * as ever: the original's PHP API sends exactly that, and half-closes.
     */
    private static boolean keptAlive(byte[] b, int headEnd) {
        int lineEnd = 0;
        while (lineEnd < headEnd && b[lineEnd] != '\n') lineEnd++;
        String line = new String(b, 0, lineEnd, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        if (!line.endsWith(" HTTP/1.1") || RawRequest.method(b, headEnd) == null) return false;
        String connection = RawRequest.header(b, headEnd, "Connection");
        if (connection == null) return false;
        for (String token : connection.split(",")) if (token.trim().equalsIgnoreCase("keep-alive")) return true;
        return false;
    }

    /** The declared Content-Length, or -1 when missing, empty or not a number. */
    private static long contentLength(byte[] b, int headEnd) {
        String v = RawRequest.header(b, headEnd, "Content-Length");
        if (v == null || v.isEmpty() || v.length() > 12) return -1;
        for (int i = 0; i < v.length(); i++) if (!Character.isDigit(v.charAt(i))) return -1;
        return Long.parseLong(v);
    }
}
