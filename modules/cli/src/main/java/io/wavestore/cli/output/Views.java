package io.wavestore.cli.output;

import io.wavestore.client.model.Alias;
import io.wavestore.client.model.ApiToken;
import io.wavestore.client.model.App;
import io.wavestore.client.model.AppPage;
import io.wavestore.client.model.Caller;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.Secret;
import io.wavestore.client.model.Tag;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How each resource reads in a terminal: tables for lists, label-value pairs for one resource. */
public final class Views {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private Views() {
    }

    public static String apps(AppPage page) {
        Table table = new Table("NAME", "VERSION", "TITLE", "OWNER", "VISIBILITY", "LIFECYCLE", "TAGS");
        for (App a : page.items()) {
            table.row(a.name(), a.version(), a.title(), a.owner(), a.visibility(), a.lifecycle(), list(a.tags()));
        }
        String more = page.total() > page.offset() + page.items().size()
                ? "(" + page.items().size() + " of " + page.total() + "; --offset " + (page.offset() + page.items().size())
                        + " for more)\n"
                : "";
        return table.render() + more;
    }

    public static String app(App a) {
        Table table = new Table("FIELD", "VALUE")
                .row("name", a.name())
                .row("version", a.version())
                .row("title", a.title())
                .row("description", a.description())
                .row("owner", a.owner())
                .row("visibility", a.visibility())
                .row("lifecycle", a.lifecycle())
                .row("tags", list(a.tags()))
                .row("created", time(a.createdAt()))
                .row("bundle", a.bundle() == null ? null : a.bundle().size() + " bytes, sha256 " + a.bundle().sha256());
        return table.render();
    }

    public static String instances(List<Instance> instances) {
        Table table = new Table("ID", "APP", "VERSION", "OWNER", "PHASE", "READY", "SUSPENDED", "CREATED");
        for (Instance i : instances) {
            table.row(i.id(), i.appName(), i.appVersion(), i.owner(), i.phase(), yesNo(i.ready()), yesNo(i.suspended()),
                    time(i.createdAt()));
        }
        return table.render();
    }

    public static String instance(Instance i) {
        Table table = new Table("FIELD", "VALUE")
                .row("id", i.id())
                .row("app", i.appName() + " " + i.appVersion())
                .row("owner", i.owner())
                .row("visibility", i.visibility())
                .row("phase", i.phase())
                .row("ready", yesNo(i.ready()))
                .row("suspended", yesNo(i.suspended()))
                .row("restarts", i.restarts())
                .row("reason", i.reason())
                .row("message", i.message())
                .row("progress", progress(i))
                .row("url", i.url())
                .row("created", time(i.createdAt()));
        if (i.lastError() != null) {
            table.row("last error", i.lastError());
        }
        return table.render();
    }

    /** One line for people watching an instance start: its phase, the launcher's step, and why it is not running. */
    public static String status(Instance i) {
        StringBuilder s = new StringBuilder(i.id()).append(": ").append(i.phase());
        if (i.suspended()) {
            s.append(" (suspended)");
        } else if (i.ready()) {
            s.append(" (ready)");
        }
        String progress = progress(i);
        if (progress != null && !i.ready()) {
            s.append(", ").append(progress);
        }
        if (i.reason() != null) {
            s.append(", ").append(i.reason());
        }
        if (i.message() != null) {
            s.append(": ").append(i.message());
        }
        return s.toString();
    }

    public static String tags(List<Tag> tags) {
        Table table = new Table("NAME", "TITLE", "COLOR", "VISITOR ROLES", "DESCRIPTION");
        for (Tag t : tags) {
            table.row(t.name(), t.title(), t.color(), list(t.visitorRoles()), t.description());
        }
        return table.render();
    }

    public static String aliases(List<Alias> aliases) {
        Table table = new Table("NAME", "INSTANCE", "PRIMARY", "URL");
        for (Alias a : aliases) {
            table.row(a.name(), a.instance(), yesNo(a.primary()), a.url());
        }
        return table.render();
    }

    public static String tokens(List<ApiToken> tokens) {
        Table table = new Table("ID", "NAME", "HINT", "CREATED", "LAST USED", "EXPIRES");
        for (ApiToken t : tokens) {
            table.row(t.id(), t.name(), t.hint(), time(t.createdAt()), time(t.lastUsedAt()),
                    t.expiresAt() == null ? "never" : time(t.expiresAt()));
        }
        return table.render();
    }

    public static String secrets(List<Secret> secrets) {
        Table table = new Table("ID", "NAME", "SCOPE", "APP", "OWNER", "KEYS", "UPDATED");
        for (Secret s : secrets) {
            table.row(s.id(), s.name(), s.scope(), s.app(), s.owner(), list(s.keys()), time(s.updatedAt()));
        }
        return table.render();
    }

    public static String secret(Secret s) {
        return new Table("FIELD", "VALUE")
                .row("id", s.id())
                .row("name", s.name())
                .row("scope", s.scope())
                .row("app", s.app())
                .row("owner", s.owner())
                .row("keys", list(s.keys()))
                .row("created", time(s.createdAt()))
                .row("updated", time(s.updatedAt()))
                .render();
    }

    public static String caller(Caller c) {
        if (!c.signedIn()) {
            return "not signed in" + (c.development() ? " (the store uses the development identity)" : "") + "\n";
        }
        return c.id() + (c.name() != null && !c.name().equals(c.id()) ? " (" + c.name() + ")" : "") + ", " + c.role()
                + ", signed in by " + c.authenticatedBy() + (c.development() ? " (development identity)" : "") + "\n";
    }

    private static String progress(Instance i) {
        if (i.progress() == null) {
            return null;
        }
        return i.progress().step() + " " + i.progress().state()
                + (i.progress().message() != null ? ": " + i.progress().message() : "");
    }

    /** A list as one cell; an empty one reads "-" like any missing value. */
    private static String list(List<String> items) {
        return items.isEmpty() ? null : String.join(",", items);
    }

    static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
