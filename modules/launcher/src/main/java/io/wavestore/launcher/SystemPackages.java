package io.wavestore.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * packages.txt: Debian packages the app needs (one or more a line, {@code #} comments). Installed with apt when
 * the launcher runs as root; otherwise the launcher says it skipped them and goes on, since the app may well
 * work without (or the image may have them already).
 */
final class SystemPackages {
    /** A Debian package name, optionally with an architecture and a version: {@code libpq5}, {@code curl=7.88.1-10}. */
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?");

    private SystemPackages() {}

    /** The packages listed in {@code text}; anything that is not a package name (an apt option, say) is refused. */
    static List<String> parse(String text) throws LaunchFailure {
        List<String> packages = new ArrayList<>();
        for (String raw : text.lines().toList()) {
            int hash = raw.indexOf('#');
            String line = hash >= 0 ? raw.substring(0, hash) : raw;
            for (String word : line.trim().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (!PACKAGE.matcher(word).matches()) {
                    throw new LaunchFailure("packages.txt lists '" + LauncherConfig.printable(word)
                            + "', which is not a Debian package name");
                }
                packages.add(word);
            }
        }
        return packages;
    }

    static List<String> read(Path file) throws LaunchFailure {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new LaunchFailure("could not read packages.txt: " + e.getMessage(), e);
        }
    }

    /** Whether this process runs as root (uid 0), the only user apt-get install works for. */
    static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
