package io.wavestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command without a store: packing and checking folders, usage, profiles, and a store that is not there. */
class CliTest {

    static final Path HELLO_WAVE = Path.of("../../examples/hello-wave").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    final List<URI> opened = new ArrayList<>();

    record Result(int code, String out, String err) {
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(new byte[0]), Map.of(), dir.resolve("config"), uri -> opened.add(uri), false);
        int code = Cli.run(env, args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void packsTheExampleHonouringAppignoreAndChecksIt() throws IOException {
        Path wave = dir.resolve("hello.wave");
        Result packed = run("bundle", HELLO_WAVE.toString(), "-o", wave.toString());
        assertThat(packed.code()).as(packed.err()).isZero();
        assertThat(packed.out()).startsWith("packed io.wavestore.hello-wave 0.1.0: ").endsWith(" -> " + wave + "\n");
        assertThat(wave).isRegularFile();

        Result json = run("bundle", "test", HELLO_WAVE.toString(), "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"name\" : \"io.wavestore.hello-wave\"", "\"version\" : \"0.1.0\"");
    }

    @Test
    void aBadFolderPrintsEveryFieldAndLeavesNoBundle() throws IOException {
        Path app = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(app.resolve("app.toml"), """
                [App]
                Name = "Not A Name!"
                Version = "1.0.0"
                Title = "Broken"
                Description = "A folder the store would refuse"

                [Runtime]
                Module = "app"
                CPULimit = "many"
                """);
        Path wave = dir.resolve("bad.wave");
        Result result = run("bundle", app.toString(), "-o", wave.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(result.err()).startsWith("error: app.toml is invalid [invalid-manifest]\n")
                .contains("\n  App.Name: ", "\n  Runtime.CPULimit: ");
        assertThat(wave).doesNotExist();
        assertThat(run("bundle", "test", dir.resolve("nothing-here").toString()).err()).contains("is not a folder");
    }

    @Test
    void wrongUsageIsExitCodeTwo() {
        Result result = run("instance", "suspend");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Missing required parameter: 'ID'");
        assertThat(run("app", "update", "a", "1.0.0").err()).contains("nothing to change");
    }

    @Test
    void aStoreThatIsNotThereIsExitCodeSeven() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        Result result = run("app", "list", "--store", "http://127.0.0.1:" + port);
        assertThat(result.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).startsWith("error: cannot reach the store");
    }

    @Test
    void profilesKeepTheStoreAndAreOnlyReadableByTheirOwner() throws IOException {
        Path config = dir.resolve("config");
        io.wavestore.cli.config.Profiles.load(config)
                .with("work", io.wavestore.cli.config.Profile.of("https://store.example").withToken("wst_secret"))
                .save();
        assertThat(run("profile", "use", "work").code()).isZero();
        Result list = run("profile", "list");
        assertThat(list.out()).contains("*  work  https://store.example  api token").doesNotContain("wst_secret");
        assertThat(Files.getPosixFilePermissions(config.resolve("profiles.json")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(run("profile", "use", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("logout").code()).isZero();
        assertThat(Files.readString(config.resolve("profiles.json"))).doesNotContain("wst_secret")
                .contains("https://store.example");
    }

    @Test
    void completionScriptCoversTheVerbs() {
        Result script = run("generate-completion");
        assertThat(script.code()).isZero();
        assertThat(script.out()).contains("complete -F", "bundle", "instance", "logs", "terminate");
    }
}
