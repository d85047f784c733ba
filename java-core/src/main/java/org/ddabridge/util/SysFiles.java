package org.ddabridge.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Fail-soft readers for sysfs/procfs files: a missing or unreadable file is an empty value, never an
 * exception, because sysfs attributes come and go with kernel versions and privileges.
 */
public final class SysFiles {
    private SysFiles() {
    }

    /** The whole file as bytes, or an empty array. */
    public static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return new byte[0];
        }
    }

    /** The file as text with trailing whitespace removed, or {@code ""}. */
    public static String readString(Path file) {
        byte[] data = readBytes(file);
        int end = data.length;
        while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == ' ' || data[end - 1] == 0)) {
            end--;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** The file's lines, or an empty list. */
    public static List<String> readLines(Path file) {
        String s = readString(file);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    /** The last path element of a symlink's target (e.g. the driver name behind {@code driver}), or {@code ""}. */
    public static String linkName(Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            Path name = target.getFileName();
            return name == null ? "" : name.toString();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The raw symlink target, or {@code ""}. */
    public static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The entry names of a directory, sorted; empty when it is absent or unreadable. */
    public static List<String> listNames(Path dir) {
        List<String> out = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }
}
