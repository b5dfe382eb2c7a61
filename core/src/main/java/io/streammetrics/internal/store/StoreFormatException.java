package io.streammetrics.internal.store;

import java.io.File;

/**
 * A store file that {@link StoreReader} cannot read: not a store, a layout version it does not know, or a store
 * whose header, directories or records are damaged (truncated, overwritten, inconsistent). The message names the
 * file and the first problem found; the reader never reads outside the file to find out.
 */
public final class StoreFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    StoreFormatException(File file, String problem) {
        super(file + " " + problem);
    }

    /** {@code file} is a store, but damaged: {@code what} says where. */
    static StoreFormatException damaged(File file, String what) {
        return new StoreFormatException(file, "is a damaged streammetrics store: " + what);
    }
}
