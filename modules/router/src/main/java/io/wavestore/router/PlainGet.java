package io.wavestore.router;

/**
 * A plain {@code GET}: a request head the data plane may take ({@link RequestHead}) with no body and no conditions
 * or ranges. The data plane may answer it from the store's files ({@link StoreFileAnswers}), whose kept answers know
 * nothing of conditions; anything else goes to the store's routes.
 */
final class PlainGet {

    private PlainGet() {
    }

    /** The path of a plain GET, or null. {@code head} is the head without its final blank line. */
    static String path(String head) {
        RequestHead parsed = RequestHead.parse(head);
        return parsed != null && parsed.method().equals("GET") && parsed.contentLength() == 0 && !parsed.conditional()
                ? parsed.target() : null;
    }
}
