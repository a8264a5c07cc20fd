package org.realplexor.engine.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a journal or snapshot file record by record, streaming (files may be gigabytes), up to its
 * end or to its first damaged or cut record: what follows that is not trusted.
 */
final class RecordReader {
    private RecordReader() {}

    /**
     * Where reading stopped.
     *
     * @param records   whole records read
     * @param goodBytes bytes of the file those records take
     * @param fileBytes the file's size
     * @param damage    why it stopped short of the end (null: it read to the end)
     */
    record Tail(long records, long goodBytes, long fileBytes, String damage) {
        boolean clean() {
            return damage == null;
        }
    }

    static Tail read(Path file, Consumer<JournalRecord> each) throws IOException {
        long size = Files.size(file);
        long at = 0;
        long records = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] head = new byte[RecordCodec.HEAD];
            while (true) {
                int got = in.readNBytes(head, 0, head.length);
                if (got == 0) return new Tail(records, at, size, null);
                try {
                    if (got < head.length) throw new RecordCodec.Damaged(true, "a record head cut short");
                    int n = RecordCodec.bodyLength(head);
                    if (n > size - at - head.length) throw new RecordCodec.Damaged(true, "a record cut short");
                    byte[] body = in.readNBytes(n);
                    if (body.length < n) throw new RecordCodec.Damaged(true, "a record cut short");
                    each.accept(RecordCodec.decode(head, body));
                } catch (RecordCodec.Damaged d) {
                    return new Tail(records, at, size, d.getMessage());
                }
                records++;
                at += head.length + (long) RecordCodec.bodyLengthUnchecked(head);
            }
        }
    }
}
