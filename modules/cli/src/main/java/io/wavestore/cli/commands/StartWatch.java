package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.WavestoreCommand;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.Instance;
import java.time.Duration;

/** Follows an instance while it starts, one line per step on stderr, until it runs or fails. */
final class StartWatch {

    private StartWatch() {
    }

    static Instance untilRunning(WavestoreCommand root, Instance started, Duration within) {
        Instance last = root.client().awaitInstance(started.id(), i -> i.running() || i.failed(), within,
                i -> root.say(Views.status(i)));
        if (last.failed()) {
            StringBuilder why = new StringBuilder("instance " + last.id() + " failed to start");
            if (last.progress() != null) {
                why.append(" at ").append(last.progress().step());
                if (last.progress().message() != null) {
                    why.append(": ").append(last.progress().message());
                }
                for (String line : last.progress().outputTail()) {
                    why.append("\n  | ").append(line);
                }
            } else if (last.reason() != null) {
                why.append(": ").append(last.reason()).append(last.message() != null ? " " + last.message() : "");
            }
            why.append("\n  `wavestore instance logs ").append(last.id()).append("` shows its log");
            throw new CliFailure(ExitCodes.INSTANCE_FAILED, why.toString());
        }
        root.say("running: " + last.url());
        return last;
    }
}
