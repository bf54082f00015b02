package io.wavestore.server.api;

import io.wavestore.activity.ActivityRow;
import java.util.stream.Collectors;

/** The activity history as CSV (RFC 4180): one line per event, details as key=value pairs in one field. */
final class ActivityCsv {

    static final String HEADER = "at,kind,actor_type,actor,subject_type,subject,instance,app,version,owner,details\r\n";

    private ActivityCsv() {
    }

    static void append(StringBuilder out, ActivityRow r) {
        String details = r.details().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
        String[] fields = {r.at().toString(), r.kind(), r.actorType(), r.actorId(), r.subjectType(), r.subjectId(),
                r.instanceId(), r.appName(), r.appVersion(), r.ownerId(), details};
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields[i]));
        }
        out.append("\r\n");
    }

    /**
     * Quoted when it must be; a value a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote mark,
     * since app names and details come from users.
     */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
