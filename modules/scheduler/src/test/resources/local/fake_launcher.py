"""A stand-in for the launcher in the local runtime's tests: a real process that notes each start (its pid and the
store URL it was given) in starts.log in its working directory, answers HTTP 200 on WAVESTORE_LISTEN_ADDRESS, and
exits 0 on SIGTERM, as the real launcher does."""
import http.server
import os
import signal
import sys

with open("starts.log", "a") as log:
    log.write("%d %s\n" % (os.getpid(), os.environ.get("WAVESTORE_BUNDLE_URL", "")))

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


host, port = os.environ["WAVESTORE_LISTEN_ADDRESS"].rsplit(":", 1)
http.server.HTTPServer((host, int(port)), Ok).serve_forever()
