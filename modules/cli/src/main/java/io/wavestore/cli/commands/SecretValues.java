package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A secret's keys and values as the command line gives them: {@code --from-literal KEY=VALUE}, {@code --from-file
 * KEY=PATH} (the file's content, as UTF-8), or, when neither is given, {@code KEY=VALUE} lines on stdin (blank lines
 * and {@code #} comments skipped), so that values need not show in the shell's history or the process list. A value
 * is never part of a message.
 */
final class SecretValues {

    private SecretValues() {
    }

    static Map<String, String> read(List<String> literals, List<String> files, InputStream stdin) {
        Map<String, String> values = new LinkedHashMap<>();
        if (literals.isEmpty() && files.isEmpty()) {
            int number = 0;
            for (String line : stdinText(stdin).split("\\R")) {
                number++;
                if (!line.isBlank() && !line.stripLeading().startsWith("#")) {
                    put(values, line, "stdin line " + number);
                }
            }
        }
        for (String literal : literals) {
            put(values, literal, "--from-literal");
        }
        for (String file : files) {
            String key = key(file, "--from-file");
            Path path = Path.of(file.substring(key.length() + 1));
            try {
                putOnce(values, key, Files.readString(path, StandardCharsets.UTF_8), "--from-file");
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.FAILED, "--from-file " + key + ": cannot read " + path + ": " + e.getMessage());
            }
        }
        if (values.isEmpty()) {
            throw new CliFailure(ExitCodes.USAGE, "no values: give --from-literal KEY=VALUE, --from-file KEY=PATH,"
                    + " or KEY=VALUE lines on stdin");
        }
        return values;
    }

    private static void put(Map<String, String> values, String pair, String from) {
        String key = key(pair, from);
        putOnce(values, key, pair.substring(key.length() + 1), from);
    }

    private static String key(String pair, String from) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            // the text may be a value: never repeat it
            throw new CliFailure(ExitCodes.USAGE, from + ": expected KEY=VALUE (KEY=PATH for --from-file)");
        }
        return pair.substring(0, equals).strip();
    }

    private static void putOnce(Map<String, String> values, String key, String value, String from) {
        if (values.putIfAbsent(key, value) != null) {
            throw new CliFailure(ExitCodes.USAGE, from + ": the key '" + key + "' is given twice");
        }
    }

    private static String stdinText(InputStream stdin) {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "cannot read the values from stdin: " + e.getMessage());
        }
    }
}
