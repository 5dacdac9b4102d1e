package dev.signalbox.internal.file;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where machine-wide semaphores keep their files, and the checks that make it safe to trust them:
 * a directory of the current user's own, mode 0700, never a symbolic link.
 *
 * <p>The default is {@code $XDG_RUNTIME_DIR/signalbox} (a per-user tmpfs, emptied at logout;
 * nothing here needs to survive a reboot, since an unlocked file is a free permit), else
 * {@code ~/.signalbox}. {@code -Dsignalbox.stateDir} or the environment variable
 * {@code SIGNALBOX_STATE_DIR} overrides both (tests use a private directory this way).
 */
public final class StateDirectory {

    /** The system property that overrides the state directory. */
    public static final String PROPERTY = "signalbox.stateDir";
    /** The environment variable that overrides the state directory (the property wins). */
    public static final String ENVIRONMENT = "SIGNALBOX_STATE_DIR";

    /** The longest name a semaphore may have. */
    public static final int MAX_NAME_LENGTH = 100;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StateDirectory() {}

    /** The state directory this process uses unless told otherwise; not created or checked yet. */
    public static Path defaultLocation() {
        String override = System.getProperty(PROPERTY);
        if (override == null || override.isEmpty()) {
            override = System.getenv(ENVIRONMENT);
        }
        if (override != null && !override.isEmpty()) {
            return Path.of(override).toAbsolutePath();
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Path.of(runtime).isAbsolute()
                && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "signalbox");
        }
        return Path.of(System.getProperty("user.home"), ".signalbox");
    }

    /**
     * Checks that {@code name} can name a semaphore: 1 to 100 characters from {@code A-Z a-z 0-9 . _ -},
     * not starting with {@code .} — so it is one plain file name that cannot escape the state
     * directory ({@code /}, {@code ..}, NUL and hidden names are refused).
     *
     * @throws IllegalArgumentException if it cannot, saying what is allowed
     * @throws NullPointerException if {@code name} is null
     */
    public static String checkName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (!isAllowed(name)) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH
                    + " characters from A-Z a-z 0-9 . _ - and must not start with '.', got \""
                    + printable(name) + "\"");
        }
        return name;
    }

    /** Whether {@code name} is 1-100 of A-Z a-z 0-9 . _ -, not starting with '.' (no regex: run starts faster). */
    private static boolean isAllowed(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates {@code dir} with mode 0700 if it is missing (its parents with default modes), then
     * checks it.
     *
     * @throws InsecureStateDirectoryException if it is a symbolic link or not a directory, belongs
     *     to another user, or can be written by group or others
     */
    public static Path prepare(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                // The umask may have narrowed the mode further (harmless) but never widened it.
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first: check what it made, like any existing one.
            }
        }
        check(dir);
        return dir;
    }

    /** Refuses {@code dir} unless it is a directory of this user's, writable by nobody else. */
    public static void check(Path dir) throws IOException {
        PosixFileAttributes attributes =
                Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new InsecureStateDirectoryException(dir, "is a symbolic link");
        }
        if (!attributes.isDirectory()) {
            throw new InsecureStateDirectoryException(dir, "is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = currentUid();
        if (owner != me) {
            throw new InsecureStateDirectoryException(dir, "belongs to uid " + owner + ", not to this user (uid "
                    + me + ")");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new InsecureStateDirectoryException(dir, "is writable by group or others (mode "
                    + PosixFilePermissions.toString(permissions) + "); it must be rwx------");
        }
    }

    /** The effective uid of this process: the owner of {@code /proc/self}. */
    static int currentUid() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        // No procfs: a file this process creates belongs to it.
        Path probe = Files.createTempFile("signalbox-uid", null);
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(MAX_NAME_LENGTH + 20L).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return name.length() > MAX_NAME_LENGTH + 20 ? out + "..." : out.toString();
    }
}
