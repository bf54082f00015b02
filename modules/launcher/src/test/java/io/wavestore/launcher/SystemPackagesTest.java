package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SystemPackagesTest {
    @Test
    void packagesAreReadWithCommentsAndSeveralALine() throws Exception {
        assertThat(SystemPackages.parse("# for the database driver\nlibpq5\ncurl=7.88.1-10+deb12u5  jq # json\n\n"
                + "libc6:amd64\n")).containsExactly("libpq5", "curl=7.88.1-10+deb12u5", "jq", "libc6:amd64");
        assertThat(SystemPackages.parse("  \n# nothing\n")).isEmpty();
    }

    @Test
    void anythingThatIsNotAPackageNameIsRefused() {
        for (String bad : new String[] {"-oAPT::Get::AllowUnauthenticated=true", "--reinstall", "Curl", "a;rm",
                "pkg/bookworm", "$(id)"}) {
            assertThatThrownBy(() -> SystemPackages.parse("libpq5\n" + bad + "\n")).as(bad)
                    .isInstanceOf(LaunchFailure.class).hasMessageContaining("not a Debian package name");
        }
    }
}
