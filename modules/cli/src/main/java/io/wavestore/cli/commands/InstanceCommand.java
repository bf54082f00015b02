package io.wavestore.cli.commands;

import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.Visibility;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "instance", description = "Your running apps: list, inspect, follow logs, suspend, resume, update, terminate, open.")
public final class InstanceCommand extends StoreCommand {

    @Command(name = "list", description = "List your instances (admins: everyone's), newest first.")
    int list(@Option(names = "--app", paramLabel = "NAME") String app,
            @Option(names = "--owner", paramLabel = "USER", description = "Admins only.") String owner) {
        return show(client().instances(owner, app), Views::instances);
    }

    @Command(name = "get", description = "Show an instance: phase, readiness, the launcher's progress, its URL.")
    int get(@Parameters(paramLabel = "ID") String id) {
        return show(client().instance(id), Views::instance);
    }

    @Command(name = "status", description = "One line: phase, readiness, and why it is not running when it is not.")
    int status(@Parameters(paramLabel = "ID") String id) {
        Instance instance = client().instance(id);
        root().print(instance, i -> Views.status(i) + "\n");
        return instance.failed() ? ExitCodes.INSTANCE_FAILED : ExitCodes.OK;
    }

    @Command(name = "logs", description = "Print the instance's log; -f follows it as it is written.")
    int logs(@Parameters(paramLabel = "ID") String id,
            @Option(names = {"-f", "--follow"}) boolean follow,
            @Option(names = "--tail", defaultValue = "200", description = "Lines from the end (default: ${DEFAULT-VALUE}).")
            int tail) throws InterruptedException {
        PrintWriter out = root().env().out();
        if (!follow) {
            out.print(client().logs(id, tail));
            out.flush();
            return ExitCodes.OK;
        }
        try {
            // get() rather than join(): a follower is stopped by interrupting it
            client().followLogs(id, tail, line -> {
                out.println(line);
                out.flush();
            }).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return ExitCodes.OK;
    }

    @Command(name = "suspend", description = "Scale the instance to zero, keeping its data.")
    int suspend(@Parameters(paramLabel = "ID") String id) {
        return show(client().suspend(id), i -> Views.status(i) + "\n");
    }

    @Command(name = "resume", description = "Start a suspended instance again, and follow it until it runs.")
    int resume(@Parameters(paramLabel = "ID") String id,
            @Option(names = "--no-wait", description = "Return at once instead of following the start.") boolean noWait,
            @Option(names = "--timeout", defaultValue = "PT10M", description = "How long to wait (default: ${DEFAULT-VALUE}).")
            Duration timeout) {
        Instance resumed = client().resume(id);
        return show(noWait ? resumed : StartWatch.untilRunning(root(), resumed, timeout), i -> Views.status(i) + "\n");
    }

    @Command(name = "update", description = "Move the instance to another version of its app, or change who may use it.")
    int update(@Parameters(paramLabel = "ID") String id, @Option(names = "--version") String version,
            @Option(names = "--visibility") Visibility visibility) {
        return show(client().updateInstance(id, version, visibility), Views::instance);
    }

    @Command(name = "terminate", description = "Terminate the instance and remove its data.")
    int terminate(@Parameters(paramLabel = "ID") String id) {
        client().terminate(id);
        return done("terminated " + id);
    }

    @Command(name = "open", description = "Open the instance in the browser.")
    int open(@Parameters(paramLabel = "ID") String id) {
        Instance instance = client().instance(id);
        root().say("opening " + instance.url());
        root().env().browser().open(URI.create(instance.url()));
        return show(instance, i -> i.url() + "\n");
    }
}
