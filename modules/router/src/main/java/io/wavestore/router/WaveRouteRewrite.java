package io.wavestore.router;

import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Lets a Wave app work under an alias with BASE_URL routing. The Wave server serves under its base URL
 * {@code /instance/<id>/}, and the Wave page names the app it wants by {@code window.location.pathname} in its first
 * WebSocket messages ({@code + /instance/<id>/ <hash>}, then {@code @ <path> {...}} for events and {@code * <path>}
 * for edits). On {@code /instance/<alias>/} that path is the alias, which the Wave server does not know: this flow
 * replaces an alias prefix at the start of such a message by the instance's own. Nothing else is touched, and a
 * message that does not start with one of the three verbs and one of the instance's alias paths passes as it came.
 */
final class WaveRouteRewrite {

    private WaveRouteRewrite() {
    }

    static Flow<Message, Message, NotUsed> flow(String instanceId, List<String> aliases) {
        if (aliases.isEmpty()) {
            return Flow.create();
        }
        return Flow.<Message>create().map(message -> {
            if (!message.isText()) {
                return message;
            }
            TextMessage text = message.asTextMessage();
            if (text.isStrict()) {
                return TextMessage.create(rewrite(text.getStrictText(), instanceId, aliases));
            }
            // A streamed message: the verb and path are in its first part (they are a few dozen characters).
            Source<String, NotUsed> parts = text.getStreamedText().mapMaterializedValue(m -> NotUsed.notUsed())
                    .prefixAndTail(1)
                    .flatMapConcat(pair -> pair.first().isEmpty()
                            ? pair.second()
                            : Source.single(rewrite(pair.first().get(0), instanceId, aliases)).concat(pair.second()));
            return TextMessage.create(parts);
        });
    }

    static String rewrite(String text, String instanceId, List<String> aliases) {
        if (text.length() < 3 || text.charAt(1) != ' ') {
            return text;
        }
        char verb = text.charAt(0);
        if (verb != '+' && verb != '@' && verb != '*') {
            return text;
        }
        for (String alias : aliases) {
            String prefix = "/instance/" + alias + "/";
            if (text.startsWith(prefix, 2)) {
                return text.substring(0, 2) + "/instance/" + instanceId + "/" + text.substring(2 + prefix.length());
            }
        }
        return text;
    }
}
