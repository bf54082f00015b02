package io.wavestore.cli.output;

import io.wavestore.cli.WavestoreCommand;
import io.wavestore.client.TransferListener;
import java.io.PrintWriter;

/** Draws an upload's or download's progress on one terminal line of stderr, redrawn at each percent. */
public final class TransferProgress implements TransferListener {

    private final PrintWriter err;
    private final String what;
    private long lastPercent = -1;

    private TransferProgress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    /** Progress for a person at a terminal; nothing for scripts, --json or --quiet. */
    public static TransferListener of(WavestoreCommand root, String what) {
        return root.showProgress() && root.env().terminal() ? new TransferProgress(root.env().err(), what) : NONE;
    }

    @Override
    public void transferred(long done, long total) {
        long percent = total > 0 ? done * 100 / total : -1;
        if (percent == lastPercent && total > 0) {
            return;
        }
        lastPercent = percent;
        err.print("\r" + what + " " + megabytes(done) + (total > 0 ? " / " + megabytes(total) + " (" + percent + "%)" : ""));
        if (total > 0 && done >= total) {
            err.println();
        }
        err.flush();
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
