package org.realplexor.engine.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DATA_DIR folder: {@code snapshot} (the state up to a journal generation), the journal files
 * {@code journal-GEN.log} that follow it, and {@code lock}, held while a server uses the folder so
 * that two servers never write one journal.
 */
final class DataDir implements AutoCloseable {
    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{1,18})\\.log");

    final Path dir;
    private final FileChannel lockFile;
    private final FileLock lock;

    private DataDir(Path dir, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Creates the folder if needed and takes its lock; fails when another process holds it. */
    static DataDir open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("DATA_DIR " + dir + " is in use by another server process (its lock file is held)");
        }
        return new DataDir(dir, ch, lock);
    }

    Path snapshot() {
        return dir.resolve("snapshot");
    }

    Path journal(long generation) {
        return dir.resolve("journal-" + generation + ".log");
    }

    /** The journal files there, by generation. */
    SortedMap<Long, Path> journals() throws IOException {
        SortedMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "journal-*.log")) {
            for (Path p : files) {
                Matcher m = JOURNAL.matcher(p.getFileName().toString());
                if (m.matches()) out.put(Long.parseLong(m.group(1)), p);
            }
        }
        return out;
    }

    /** Removes the journal files older than {@code generation}: a snapshot of that generation holds them. */
    void deleteJournalsBefore(long generation) throws IOException {
        for (var e : journals().headMap(generation).entrySet()) Files.deleteIfExists(e.getValue());
        syncDir();
    }

    /** Moves a finished, forced file into place in one step, and makes the move itself durable. */
    void install(Path written, Path target) throws IOException {
        try {
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDir();
    }

    /** A new or renamed file's directory entry survives a power loss only once the folder is forced. */
    void syncDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open or force a folder; the rename is then as durable as they make it.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockFile.close();
        }
    }
}
