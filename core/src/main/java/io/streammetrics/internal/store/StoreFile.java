package io.streammetrics.internal.store;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import static io.streammetrics.internal.store.StoreLayout.*;

/**
 * The writer's store file: created, or taken over from a writer that is gone, and held with an exclusive lock for as
 * long as the store is open.
 *
 * <p><b>Restarting on an existing file.</b> Whether the writer of an existing store file is alive is decided by a
 * lock, not by guessing from its process id and heartbeat: a writer holds an exclusive {@link FileLock} on its file
 * until {@code close()}, and the operating system drops it when the process ends however it ends (a clean exit,
 * {@code kill -9}, a crash). So:
 * <ul>
 *   <li>a file whose lock is free (its writer closed it, or died) is replaced: a new store is written beside it and
 *       renamed over it, so a reader that still has the old file mapped keeps reading the old, unlinked file (it
 *       sees the old writer's last state, closed or no longer heartbeating) and never a file shrinking under it;</li>
 *   <li>a file whose lock is held (its writer is alive, in this process or another) is refused with an
 *       {@link IllegalStateException} naming the file, the writer's process id and how long ago it last
 *       heartbeated;</li>
 *   <li>an existing file that is not a store (its first bytes are neither the store's magic number nor zero, as a
 *       store whose creation was cut short leaves it) is refused rather than overwritten.</li>
 * </ul>
 * Locks are advisory and, on some network file systems, unreliable: keep store files on a local disk or tmpfs.
 */
final class StoreFile implements AutoCloseable {
    private final Path path;
    private final RandomAccessFile file;
    private final FileChannel channel;
    private final FileLock lock;
    /** The new file until {@link #publish()} renames it over {@link #path}. */
    private Path pending;
    /** The file being replaced, locked until the rename so that no other writer takes it meanwhile. */
    private Previous previous;

    private StoreFile(Path path, Path pending, RandomAccessFile file, FileLock lock, Previous previous) {
        this.path = path;
        this.pending = pending;
        this.file = file;
        this.channel = file.getChannel();
        this.lock = lock;
        this.previous = previous;
    }

    /**
     * Opens {@code target} for a new store: a fresh file (renamed into place by {@link #publish()}), locked.
     *
     * @throws IllegalStateException if a live writer holds {@code target}, or it exists and is not a store
     * @throws UncheckedIOException if the file cannot be created
     */
    static StoreFile create(File target) {
        Path path = target.toPath().toAbsolutePath();
        try {
            for (int attempt = 0; ; attempt++) {
                Previous previous = Previous.take(path);
                try {
                    if (previous.movedMeanwhile() && attempt < 10) {
                        // Another writer replaced the file between our open and our lock: look again.
                        previous.close();
                        continue;
                    }
                    return createBeside(path, previous);
                } catch (IOException | RuntimeException e) {
                    previous.close();
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store file " + path + ": " + e.getMessage(), e);
        }
    }

    private static StoreFile createBeside(Path path, Previous previous) throws IOException {
        Path pending = path.resolveSibling(path.getFileName() + ".new-" + ProcessHandle.current().pid());
        Files.deleteIfExists(pending);
        RandomAccessFile file = new RandomAccessFile(pending.toFile(), "rw");
        try {
            FileLock lock = file.getChannel().tryLock();
            if (lock == null) {
                throw new IOException("could not lock the new file " + pending);
            }
            return new StoreFile(path, pending, file, lock, previous);
        } catch (IOException | RuntimeException e) {
            file.close();
            Files.deleteIfExists(pending);
            throw e;
        }
    }

    /** Makes the file at least {@code length} bytes long (new bytes read as zero). */
    void grow(long length) {
        try {
            if (file.length() < length) {
                file.setLength(length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow store file " + path + " to " + length + " bytes", e);
        }
    }

    /** Maps {@code size} bytes at {@code position}, which {@link #grow} has made part of the file. */
    MappedByteBuffer map(long position, int size) {
        try {
            return channel.map(FileChannel.MapMode.READ_WRITE, position, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map store file " + path, e);
        }
    }

    /**
     * Renames the new file over the target path, once its header is complete. A reader opening the path from now on
     * finds this store.
     */
    void publish() {
        if (pending == null) {
            return;
        }
        try {
            try {
                Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(pending, path, StandardCopyOption.REPLACE_EXISTING);
            }
            pending = null;
            previous.close();
            previous = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new store file " + pending + " to " + path, e);
        }
    }

    /** The store's path. */
    File file() {
        return path.toFile();
    }

    /** Releases the lock: from now on another writer may replace the file. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
            if (pending != null) {
                Files.deleteIfExists(pending);
            }
            if (previous != null) {
                previous.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close store file " + path, e);
        }
    }

    /**
     * The file already at the target path, locked for the time of the replacement so that no other writer takes it
     * meanwhile; nothing if there is none.
     */
    private static final class Previous implements AutoCloseable {
        private final Path path;
        private final Object key;
        private final RandomAccessFile file;
        private final FileLock lock;

        private Previous(Path path, Object key, RandomAccessFile file, FileLock lock) {
            this.path = path;
            this.key = key;
            this.file = file;
            this.lock = lock;
        }

        static Previous take(Path path) throws IOException {
            Object key;
            try {
                key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return new Previous(path, null, null, null);
            }
            RandomAccessFile file;
            try {
                file = new RandomAccessFile(path.toFile(), "rw");
            } catch (IOException e) {
                throw new IOException("cannot open the existing file " + path + " to replace it: " + e.getMessage(), e);
            }
            try {
                FileLock lock;
                try {
                    lock = file.getChannel().tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    throw new IllegalStateException(inUse(path, file));
                }
                checkIsAStore(path, file);
                return new Previous(path, key, file, lock);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }

        /** Whether the path now names another file than the one locked (a writer replaced it in between). */
        boolean movedMeanwhile() throws IOException {
            if (file == null || key == null) {
                return false;
            }
            try {
                return !Objects.equals(key, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
            } catch (NoSuchFileException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                if (lock.isValid()) {
                    lock.release();
                }
                file.close();
            }
        }

        private static void checkIsAStore(Path path, RandomAccessFile file) throws IOException {
            if (file.length() < 4) {
                return;
            }
            ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            file.getChannel().read(magic, MAGIC_OFFSET);
            int value = magic.getInt(0);
            if (value != MAGIC && value != 0) {
                throw new IllegalStateException("store file " + path + " exists and is not a streammetrics store "
                        + "(magic number 0x" + Integer.toHexString(value) + "): refusing to overwrite it; delete it "
                        + "or choose another path");
            }
        }

        private static String inUse(Path path, RandomAccessFile file) {
            String writer = "";
            try {
                if (file.length() >= HEARTBEAT_OFFSET + 8) {
                    ByteBuffer header = ByteBuffer.allocate(HEARTBEAT_OFFSET + 8).order(ByteOrder.nativeOrder());
                    file.getChannel().read(header, 0);
                    if (header.getInt(MAGIC_OFFSET) == MAGIC) {
                        long ago = System.currentTimeMillis() - header.getLong(HEARTBEAT_OFFSET);
                        writer = " (process " + header.getLong(PID_OFFSET) + ", last heartbeat " + ago + " ms ago)";
                    }
                }
            } catch (IOException e) {
                writer = " (its header could not be read: " + e.getMessage() + ")";
            }
            return "store file " + path + " is in use by a live writer" + writer + ": close that engine first, or "
                    + "give this one another storeFile";
        }
    }
}
