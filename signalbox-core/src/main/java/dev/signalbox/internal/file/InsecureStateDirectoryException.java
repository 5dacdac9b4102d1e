package dev.signalbox.internal.file;

import java.io.IOException;
import java.nio.file.Path;

/** The state directory cannot be trusted: another user could take or fake permits in it. */
public final class InsecureStateDirectoryException extends IOException {

    private static final long serialVersionUID = 1L;

    InsecureStateDirectoryException(Path dir, String reason) {
        super("refusing state directory " + dir + ": it " + reason);
    }
}
