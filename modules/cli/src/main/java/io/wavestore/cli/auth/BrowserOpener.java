package io.wavestore.cli.auth;

import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;

/** Opens a URL in the user's browser; tests give one that follows the URL themselves. */
@FunctionalInterface
public interface BrowserOpener {

    /** Opens {@code uri}; false when no browser could be started (the caller then shows the URL). */
    boolean open(URI uri);

    /** The desktop's browser, else xdg-open (Linux) or open (macOS). */
    static BrowserOpener desktop() {
        return uri -> {
            try {
                if (!java.awt.GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                        && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                    Desktop.getDesktop().browse(uri);
                    return true;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to the platform's opener
            }
            for (String opener : new String[] {"xdg-open", "open"}) {
                try {
                    Process p = new ProcessBuilder(opener, uri.toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return p.waitFor() == 0;
                } catch (IOException e) {
                    // not on this system: try the next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        };
    }
}
