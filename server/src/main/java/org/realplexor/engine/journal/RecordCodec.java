package org.realplexor.engine.journal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * The bytes of a {@link JournalRecord}: pure, no files. A frame is
 * {@code [body length: u32][CRC-32C of the body: u32][body]}, the body a type byte and the
 * record's fields (integers big-endian, counts and lengths as unsigned varints, text as UTF-8
 * with its length, a null cursor as empty text). The checksum lets a reader tell a torn or
 * damaged tail (a crash in the middle of a write, a bad disk) from records, and stop there.
 */
public final class RecordCodec {
    /** Bytes of a frame's head. */
    public static final int HEAD = 8;
    /** A body longer than this is damage, not a record (IN_MAXLEN is far below it). */
    public static final int MAX_BODY = 256 << 20;

    static final byte JOURNAL_HEAD = 1;
    static final byte STORED = 2;
    static final byte DROPPED = 3;
    static final byte EVENT = 4;
    static final byte SNAPSHOT_HEAD = 10;
    static final byte SNAPSHOT_MESSAGE = 11;
    static final byte SNAPSHOT_QUEUE = 12;
    static final byte SNAPSHOT_PRESENCE = 13;
    static final byte SNAPSHOT_END = 14;

    private RecordCodec() {}

    /** Why bytes are not a record: a frame cut short, or one whose checksum or fields are wrong. */
    public static final class Damaged extends Exception {
        public final boolean truncated;

        Damaged(boolean truncated, String what) {
            super(what, null, false, false);
            this.truncated = truncated;
        }
    }

    /** The frame of {@code r}, appended to {@code out}. */
    public static void encode(JournalRecord r, Out out) {
        int start = out.size;
        out.u32(0);
        out.u32(0);
        int body = out.size;
        if (r instanceof JournalRecord.JournalHead h) {
            out.u8(JOURNAL_HEAD);
            out.i64(h.generation());
        } else if (r instanceof JournalRecord.Stored s) {
            out.u8(STORED);
            out.i64(s.millis());
            out.cursor(s.generated());
            message(s.message(), out);
        } else if (r instanceof JournalRecord.Dropped d) {
            out.u8(DROPPED);
            out.i64(d.millis());
            out.text(d.id());
        } else if (r instanceof JournalRecord.Event e) {
            out.u8(EVENT);
            out.i64(e.event().pos());
            out.text(e.event().type());
            out.text(e.event().id());
        } else if (r instanceof JournalRecord.SnapshotHead h) {
            out.u8(SNAPSHOT_HEAD);
            out.varint(h.version());
            out.i64(h.generation());
            out.i64(h.writtenMillis());
            out.cursor(h.lastGenerated());
            out.i64(h.nextEventPos());
        } else if (r instanceof JournalRecord.SnapshotMessage m) {
            out.u8(SNAPSHOT_MESSAGE);
            message(m.message(), out);
        } else if (r instanceof JournalRecord.SnapshotQueue q) {
            out.u8(SNAPSHOT_QUEUE);
            out.text(q.id());
            out.i64(q.lastPublishMillis());
            out.varint(q.messages().size());
            for (int i : q.messages()) out.varint(i);
        } else if (r instanceof JournalRecord.SnapshotPresence p) {
            out.u8(SNAPSHOT_PRESENCE);
            out.text(p.id());
            out.i64(p.offlineAt());
        } else if (r instanceof JournalRecord.SnapshotEnd e) {
            out.u8(SNAPSHOT_END);
            out.i64(e.records());
        }
        int length = out.size - body;
        CRC32C crc = new CRC32C();
        crc.update(out.bytes, body, length);
        out.putU32(start, length);
        out.putU32(start + 4, (int) crc.getValue());
    }

    /** The frame of {@code r} alone. */
    public static byte[] encode(JournalRecord r) {
        Out out = new Out(64);
        encode(r, out);
        return out.toByteArray();
    }

    /**
     * The body length a frame head announces.
     *
     * @throws Damaged when it cannot be a record's (0, or over {@link #MAX_BODY})
     */
    public static int bodyLength(byte[] head) throws Damaged {
        int n = ByteBuffer.wrap(head, 0, HEAD).getInt();
        if (n <= 0 || n > MAX_BODY)
            throw new Damaged(false, "a record head announcing " + Integer.toUnsignedString(n) + " bytes");
        return n;
    }

    static int bodyLengthUnchecked(byte[] head) {
        return ByteBuffer.wrap(head, 0, HEAD).getInt();
    }

    /**
     * The record of a frame whose head and body were read.
     *
     * @throws Damaged when the checksum does not match or the fields do not read
     */
    public static JournalRecord decode(byte[] head, byte[] body) throws Damaged {
        int expected = ByteBuffer.wrap(head, 0, HEAD).getInt(4);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        if ((int) crc.getValue() != expected) throw new Damaged(false, "a record whose checksum does not match");
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            JournalRecord r = switch (in.get()) {
                case JOURNAL_HEAD -> new JournalRecord.JournalHead(in.getLong());
                case STORED -> new JournalRecord.Stored(in.getLong(), cursor(in), message(in));
                case DROPPED -> new JournalRecord.Dropped(in.getLong(), text(in));
                case EVENT -> new JournalRecord.Event(new PresenceEvent(in.getLong(), text(in), text(in)));
                case SNAPSHOT_HEAD ->
                    new JournalRecord.SnapshotHead(varint(in), in.getLong(), in.getLong(), cursor(in), in.getLong());
                case SNAPSHOT_MESSAGE -> new JournalRecord.SnapshotMessage(message(in));
                case SNAPSHOT_QUEUE -> {
                    String id = text(in);
                    long last = in.getLong();
                    int n = count(in);
                    List<Integer> places = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) places.add(varint(in));
                    yield new JournalRecord.SnapshotQueue(id, last, places);
                }
                case SNAPSHOT_PRESENCE -> new JournalRecord.SnapshotPresence(text(in), in.getLong());
                case SNAPSHOT_END -> new JournalRecord.SnapshotEnd(in.getLong());
                default -> throw new Damaged(false, "a record of unknown type " + body[0]);
            };
            if (in.hasRemaining()) throw new Damaged(false, "a record with " + in.remaining() + " bytes left over");
            return r;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new Damaged(false, "a record whose fields do not read (" + e + ")");
        }
    }

    /** What {@link #decodeAll} read: the records, and where and why it stopped (null: at the end). */
    public record Decoded(List<JournalRecord> records, int stoppedAt, Damaged damage) {}

    /** Every whole record of {@code bytes} up to the first damaged or cut one. */
    public static Decoded decodeAll(byte[] bytes) {
        List<JournalRecord> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            try {
                if (bytes.length - at < HEAD) throw new Damaged(true, "a record head cut short");
                byte[] head = Arrays.copyOfRange(bytes, at, at + HEAD);
                int n = bodyLength(head);
                if (bytes.length - at - HEAD < n) throw new Damaged(true, "a record cut short");
                out.add(decode(head, Arrays.copyOfRange(bytes, at + HEAD, at + HEAD + n)));
                at += HEAD + n;
            } catch (Damaged d) {
                return new Decoded(out, at, d);
            }
        }
        return new Decoded(out, at, null);
    }

    private static void message(StoredMessage m, Out out) {
        out.varint(m.cursors().size());
        m.cursors().forEach((id, c) -> {
            out.text(id);
            out.cursor(c);
        });
        out.varint(m.limiters().size());
        for (String l : m.limiters()) out.text(l);
        out.varint(m.data().length);
        out.bytes(m.data());
    }

    private static StoredMessage message(ByteBuffer in) throws Damaged {
        int n = count(in);
        SortedMap<String, Cursor> cursors = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String id = text(in);
            Cursor c = cursor(in);
            if (c == null) throw new Damaged(false, "a message target without a cursor");
            cursors.put(id, c);
        }
        int l = count(in);
        Set<String> limiters = new LinkedHashSet<>();
        for (int i = 0; i < l; i++) limiters.add(text(in));
        byte[] data = new byte[count(in)];
        in.get(data);
        return new StoredMessage(data, cursors, limiters);
    }

    private static Cursor cursor(ByteBuffer in) throws Damaged {
        String t = text(in);
        return t.isEmpty() ? null : Cursor.of(t);
    }

    private static String text(ByteBuffer in) throws Damaged {
        int n = count(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    /** A count or length: never more than the bytes left (so damage cannot make a huge allocation). */
    private static int count(ByteBuffer in) throws Damaged {
        int n = varint(in);
        if (n > in.remaining())
            throw new Damaged(false, "a record announcing " + n + " items in " + in.remaining() + " bytes");
        return n;
    }

    private static int varint(ByteBuffer in) throws Damaged {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = in.get();
            v |= (b & 0x7f) << shift;
            if (b >= 0) {
                if (v < 0) break;
                return v;
            }
        }
        throw new Damaged(false, "a record with a bad number");
    }

    /** A growable byte buffer the encoder appends to; reused by the writer between batches. */
    public static final class Out {
        byte[] bytes;
        int size;

        public Out(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        public int size() {
            return size;
        }

        public byte[] array() {
            return bytes;
        }

        public void clear() {
            size = 0;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void room(int n) {
            if (size + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }

        void u8(int v) {
            room(1);
            bytes[size++] = (byte) v;
        }

        void u32(int v) {
            room(4);
            putU32(size, v);
            size += 4;
        }

        void putU32(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        void i64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void varint(int v) {
            while ((v & ~0x7f) != 0) {
                u8((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            u8(v);
        }

        void bytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            bytes(b);
        }

        void cursor(Cursor c) {
            text(c == null ? "" : c.text());
        }
    }
}
