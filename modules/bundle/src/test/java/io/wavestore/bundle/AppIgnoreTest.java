package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppIgnoreTest {
    private static AppIgnore rules(String... lines) {
        return AppIgnore.parse(List.of(lines));
    }

    @Test
    void aNameWithoutSlashMatchesAtAnyDepth() {
        AppIgnore ignore = rules("*.log", "secrets.env");
        assertThat(ignore.ignores("debug.log", false)).isTrue();
        assertThat(ignore.ignores("logs/deep/debug.log", false)).isTrue();
        assertThat(ignore.ignores("a/secrets.env", false)).isTrue();
        assertThat(ignore.ignores("debug.log.txt", false)).isFalse();
        assertThat(ignore.ignores("app.py", false)).isFalse();
    }

    @Test
    void aSlashAnchorsAtTheAppDirectory() {
        AppIgnore ignore = rules("/build", "docs/*.md");
        assertThat(ignore.ignores("build", true)).isTrue();
        assertThat(ignore.ignores("src/build", true)).isFalse();
        assertThat(ignore.ignores("docs/a.md", false)).isTrue();
        assertThat(ignore.ignores("docs/sub/a.md", false)).isFalse();
        assertThat(ignore.ignores("x/docs/a.md", false)).isFalse();
    }

    @Test
    void aTrailingSlashMatchesFoldersOnly() {
        AppIgnore ignore = rules("data/");
        assertThat(ignore.ignores("data", true)).isTrue();
        assertThat(ignore.ignores("nested/data", true)).isTrue();
        assertThat(ignore.ignores("data", false)).isFalse();
    }

    @Test
    void doubleStarsSpanFolders() {
        AppIgnore ignore = rules("**/tmp", "notebooks/**", "a/**/b.txt");
        assertThat(ignore.ignores("tmp", true)).isTrue();
        assertThat(ignore.ignores("x/y/tmp", false)).isTrue();
        assertThat(ignore.ignores("notebooks/x.ipynb", false)).isTrue();
        assertThat(ignore.ignores("notebooks/deep/x.ipynb", false)).isTrue();
        assertThat(ignore.ignores("notebooks", true)).isFalse();
        assertThat(ignore.ignores("a/b.txt", false)).isTrue();
        assertThat(ignore.ignores("a/x/y/b.txt", false)).isTrue();
        assertThat(ignore.ignores("ab.txt", false)).isFalse();
    }

    @Test
    void aSingleStarStaysInsideASegment() {
        AppIgnore ignore = rules("/static/*.psd", "te?t.py", "[abc]x.py", "[!0-9]y.py");
        assertThat(ignore.ignores("static/logo.psd", false)).isTrue();
        assertThat(ignore.ignores("static/raw/logo.psd", false)).isFalse();
        assertThat(ignore.ignores("test.py", false)).isTrue();
        assertThat(ignore.ignores("te/t.py", false)).isFalse();
        assertThat(ignore.ignores("bx.py", false)).isTrue();
        assertThat(ignore.ignores("dx.py", false)).isFalse();
        assertThat(ignore.ignores("ay.py", false)).isTrue();
        assertThat(ignore.ignores("1y.py", false)).isFalse();
    }

    @Test
    void negationReIncludesAndTheLastMatchWins() {
        AppIgnore ignore = rules("*.csv", "!keep.csv", "data/keep.csv");
        assertThat(ignore.ignores("a.csv", false)).isTrue();
        assertThat(ignore.ignores("keep.csv", false)).isFalse();
        assertThat(ignore.ignores("sub/keep.csv", false)).isFalse();
        assertThat(ignore.ignores("data/keep.csv", false)).isTrue();
    }

    @Test
    void commentsBlanksAndEscapes() {
        AppIgnore ignore = rules("# a comment", "", "   ", "\\#notes.txt", "\\!important.txt", "trailing.txt   ",
                "regex(chars)+.py");
        assertThat(ignore.ignores("# a comment", false)).isFalse();
        assertThat(ignore.ignores("#notes.txt", false)).isTrue();
        assertThat(ignore.ignores("!important.txt", false)).isTrue();
        assertThat(ignore.ignores("trailing.txt", false)).isTrue();
        assertThat(ignore.ignores("regex(chars)+.py", false)).isTrue();
        assertThat(ignore.ignores("regexchars.py", false)).isFalse();
    }

    @Test
    void anUnclosedBracketIsLiteral() {
        AppIgnore ignore = rules("file[1.txt");
        assertThat(ignore.ignores("file[1.txt", false)).isTrue();
        assertThat(ignore.ignores("file1.txt", false)).isFalse();
    }
}
