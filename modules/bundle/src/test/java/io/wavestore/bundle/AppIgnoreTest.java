package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AppIgnoreTest {
    private static AppIgnore rules(String... lines) {
        return AppIgnore.parse(List.of(lines));
    }

    // Those of paths the rules ignore; a path that ends with "/" is a folder.
    private static List<String> ignoredAmong(AppIgnore ignore, String... paths) {
        return Stream.of(paths)
                .filter(path -> path.endsWith("/")
                        ? ignore.ignores(path.substring(0, path.length() - 1), true)
                        : ignore.ignores(path, false))
                .toList();
    }

    @Test
    void aNameWithoutSlashMatchesAtAnyDepth() {
        assertThat(ignoredAmong(rules("*.log", "secrets.env"),
                "debug.log", "logs/deep/debug.log", "a/secrets.env", "debug.log.txt", "app.py"))
                .containsExactly("debug.log", "logs/deep/debug.log", "a/secrets.env");
    }

    @Test
    void aSlashAnchorsAtTheAppDirectory() {
        assertThat(ignoredAmong(rules("/build", "docs/*.md"),
                "build/", "src/build/", "docs/a.md", "docs/sub/a.md", "x/docs/a.md"))
                .containsExactly("build/", "docs/a.md");
    }

    @Test
    void aTrailingSlashMatchesFoldersOnly() {
        assertThat(ignoredAmong(rules("data/"), "data/", "nested/data/", "data"))
                .containsExactly("data/", "nested/data/");
    }

    @Test
    void doubleStarsSpanFolders() {
        assertThat(ignoredAmong(rules("**/tmp", "notebooks/**", "a/**/b.txt"),
                "tmp/", "x/y/tmp", "notebooks/x.ipynb", "notebooks/deep/x.ipynb", "notebooks/",
                "a/b.txt", "a/x/y/b.txt", "ab.txt"))
                .containsExactly("tmp/", "x/y/tmp", "notebooks/x.ipynb", "notebooks/deep/x.ipynb",
                        "a/b.txt", "a/x/y/b.txt");
    }

    @Test
    void aSingleStarStaysInsideASegment() {
        assertThat(ignoredAmong(rules("/static/*.psd", "te?t.py", "[abc]x.py", "[!0-9]y.py"),
                "static/logo.psd", "static/raw/logo.psd", "test.py", "te/t.py", "bx.py", "dx.py", "ay.py", "1y.py"))
                .containsExactly("static/logo.psd", "test.py", "bx.py", "ay.py");
    }

    @Test
    void negationReIncludesAndTheLastMatchWins() {
        assertThat(ignoredAmong(rules("*.csv", "!keep.csv", "data/keep.csv"),
                "a.csv", "keep.csv", "sub/keep.csv", "data/keep.csv"))
                .containsExactly("a.csv", "data/keep.csv");
    }

    @Test
    void commentsBlanksAndEscapes() {
        assertThat(ignoredAmong(rules("# a comment", "", "   ", "\\#notes.txt", "\\!important.txt", "trailing.txt   ",
                "regex(chars)+.py"),
                "# a comment", "#notes.txt", "!important.txt", "trailing.txt", "regex(chars)+.py", "regexchars.py"))
                .containsExactly("#notes.txt", "!important.txt", "trailing.txt", "regex(chars)+.py");
    }

    @Test
    void anUnclosedBracketIsLiteral() {
        assertThat(ignoredAmong(rules("file[1.txt"), "file[1.txt", "file1.txt"))
                .containsExactly("file[1.txt");
    }
}
