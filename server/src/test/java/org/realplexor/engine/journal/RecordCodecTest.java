package org.realplexor.engine.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/** The record codec: every record type round-trips; damaged and cut bytes end the reading where they start. */
class RecordCodecTest {

    private static StoredMessage message(String data, String... idCursor) {
        TreeMap<String, Cursor> cursors = new TreeMap<>();
        for (int i = 0; i < idCursor.length; i += 2) cursors.put(idCursor[i], Cursor.of(idCursor[i + 1]));
        return new StoredMessage(data.getBytes(StandardCharsets.UTF_8), cursors, Set.of());
    }

    private static final StoredMessage LIMITED = new StoredMessage(
            "{\"ü\":\"ß\"}".getBytes(StandardCharsets.UTF_8),
            new TreeMap<>(
                    java.util.Map.of("Alpha", Cursor.of("0010.50"), "Бета", Cursor.of("1795310370.48286000100000"))),
            Set.of("room_1", "room_2"));

    /** One row per record type and edge: what is written reads back equal. */
    private static final List<JournalRecord> ROWS = List.of(
            new JournalRecord.JournalHead(0),
            new JournalRecord.JournalHead(Long.MAX_VALUE),
            new JournalRecord.Stored(
                    1_700_000_000_123L,
                    Cursor.of("1795310370.48286000100000"),
                    message("x", "a", "1795310370.48286000100000")),
            new JournalRecord.Stored(5, null, message("explicit cursors", "a", "10", "b", "0010.50")),
            new JournalRecord.Stored(5, null, LIMITED),
            new JournalRecord.Stored(5, null, message("", "a", "1")),
            new JournalRecord.Stored(
                    5,
                    null,
                    new StoredMessage(
                            new byte[300_000], new TreeMap<>(java.util.Map.of("big", Cursor.of("7"))), Set.of())),
            new JournalRecord.Dropped(42, "user_42"),
            new JournalRecord.Event(new PresenceEvent(10, "online", "user_1")),
            new JournalRecord.Event(new PresenceEvent(1L << 40, "offline", "Бета")),
            new JournalRecord.SnapshotHead(1, 3, 99, Cursor.of("12.5"), 11),
            new JournalRecord.SnapshotHead(1, 0, 0, null, 10),
            new JournalRecord.SnapshotMessage(LIMITED),
            new JournalRecord.SnapshotQueue("q", 77, List.of(0, 1, 200, 70_000, Integer.MAX_VALUE)),
            new JournalRecord.SnapshotQueue("empty", 0, List.of()),
            new JournalRecord.SnapshotPresence("p", -1),
            new JournalRecord.SnapshotPresence("p", 1_700_000_000_000L),
            new JournalRecord.SnapshotEnd(12345));

    @Test
    void everyRowRoundTrips() {
        for (JournalRecord r : ROWS) {
            RecordCodec.Decoded d = RecordCodec.decodeAll(RecordCodec.encode(r));
            assertNull(d.damage(), r.toString());
            assertEquals(1, d.records().size(), r.toString());
            assertSame(r, d.records().get(0));
        }
    }

    @Test
    void aStreamOfRowsReadsBackInOrder() {
        byte[] all = all(ROWS);
        RecordCodec.Decoded d = RecordCodec.decodeAll(all);
        assertNull(d.damage());
        assertEquals(all.length, d.stoppedAt());
        assertEquals(ROWS.size(), d.records().size());
        for (int i = 0; i < ROWS.size(); i++)
            assertSame(ROWS.get(i), d.records().get(i));
    }

    private record Damage(String name, UnaryOperator<byte[]> how, boolean truncated) {}

    /**
     * Damage to the last record of three: the first two read, the reading stops at the third's
     * first byte and says why.
     */
    @Test
    void damageToTheTailStopsTheReadingAtItsStart() {
        List<JournalRecord> three = List.of(ROWS.get(2), ROWS.get(7), ROWS.get(4));
        byte[] whole = all(three);
        int lastStart = all(three.subList(0, 2)).length;
        List<Damage> rows = List.of(
                new Damage("cut in the body", b -> Arrays.copyOf(b, b.length - 1), true),
                new Damage("cut in the head", b -> Arrays.copyOf(b, lastStart + 5), true),
                new Damage("a flipped data byte", b -> flip(b, b.length - 2), false),
                new Damage("a flipped checksum byte", b -> flip(b, lastStart + 5), false),
                new Damage("a length of zero (a zero-filled tail)", b -> zeros(b, lastStart), false),
                new Damage(
                        "a huge length",
                        b -> {
                            b = b.clone();
                            b[lastStart] = 0x7f;
                            return b;
                        },
                        false),
                new Damage(
                        "garbage appended after the records",
                        b -> concat(Arrays.copyOf(b, lastStart), "garbage!!".getBytes()),
                        false));
        for (Damage row : rows) {
            RecordCodec.Decoded d = RecordCodec.decodeAll(row.how().apply(whole.clone()));
            assertEquals(2, d.records().size(), row.name());
            assertEquals(lastStart, d.stoppedAt(), row.name());
            assertNotNull(d.damage(), row.name());
            if (!row.name().startsWith("garbage")) assertEquals(row.truncated(), d.damage().truncated, row.name());
        }
    }

    @Test
    void anUnknownTypeWithAGoodChecksumIsDamage() {
        RecordCodec.Out out = new RecordCodec.Out(16);
        RecordCodec.encode(new JournalRecord.JournalHead(1), out);
        byte[] b = out.toByteArray();
        b[RecordCodec.HEAD] = 99;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, RecordCodec.HEAD, b.length - RecordCodec.HEAD);
        int c = (int) crc.getValue();
        b[4] = (byte) (c >>> 24);
        b[5] = (byte) (c >>> 16);
        b[6] = (byte) (c >>> 8);
        b[7] = (byte) c;
        RecordCodec.Decoded d = RecordCodec.decodeAll(b);
        assertTrue(d.records().isEmpty());
        assertTrue(d.damage().getMessage().contains("unknown type"), d.damage().getMessage());
    }

    private static void assertSame(JournalRecord want, JournalRecord got) {
        assertEquals(text(want), text(got));
        if (want instanceof JournalRecord.Stored s)
            assertArrayEquals(
                    s.message().data(), ((JournalRecord.Stored) got).message().data());
    }

    /** Records compare by value, messages by their bytes, cursors by their text (kept as written). */
    private static String text(JournalRecord r) {
        if (r instanceof JournalRecord.Stored s)
            return "Stored[" + s.millis() + "," + s.generated() + "," + text(s.message()) + "]";
        if (r instanceof JournalRecord.SnapshotMessage m) return "SnapshotMessage[" + text(m.message()) + "]";
        if (r instanceof JournalRecord.SnapshotHead h) return h.toString() + h.lastGenerated();
        return r.toString();
    }

    private static String text(StoredMessage m) {
        return m.cursors().toString()
                + new TreeMap<>(java.util.Map.of("l", new java.util.TreeSet<>(m.limiters())))
                + Arrays.hashCode(m.data());
    }

    private static byte[] all(List<JournalRecord> rs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JournalRecord r : rs) out.writeBytes(RecordCodec.encode(r));
        return out.toByteArray();
    }

    private static byte[] flip(byte[] b, int at) {
        b[at] ^= 0x40;
        return b;
    }

    private static byte[] zeros(byte[] b, int from) {
        Arrays.fill(b, from, b.length, (byte) 0);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
