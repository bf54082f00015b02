package io.wavestore.scheduler.helm;

import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A pod's log as lines: a fetched tail, or a followed log that ends when closed. */
final class PodLogStream implements InstanceRuntime.LogStream {

    private final BufferedReader reader;
    private final LogWatch watch;

    private PodLogStream(InputStream in, LogWatch watch) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.watch = watch;
    }

    static PodLogStream of(String text) {
        return new PodLogStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
    }

    static PodLogStream following(LogWatch watch) {
        return new PodLogStream(watch.getOutput(), watch);
    }

    @Override
    public Optional<String> nextLine() throws IOException {
        return Optional.ofNullable(reader.readLine());
    }

    @Override
    public void close() throws IOException {
        try {
            if (watch != null) {
                watch.close();
            }
        } finally {
            reader.close();
        }
    }
}
