package io.wavestore.cli.commands;

import io.wavestore.cli.output.Views;
import io.wavestore.client.model.TagChange;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "List and manage the catalog's tags (changes: admins).")
public final class TagCommand extends StoreCommand {

    @Command(name = "list", description = "List all tags.")
    int list() {
        return show(client().tags(), Views::tags);
    }

    @Command(name = "create", description = "Create a tag.")
    int create(@Parameters(paramLabel = "NAME") String name, @Option(names = "--title") String title,
            @Option(names = "--color") String color, @Option(names = "--description") String description,
            @Option(names = "--visitor-role", paramLabel = "ROLE", description = "A visitor role that may see apps with this tag (repeatable).")
            List<String> visitorRoles) {
        return show(List.of(client().createTag(new TagChange(name, title, color, description, visitorRoles))), Views::tags);
    }

    @Command(name = "update", description = "Change a tag; options left out stay as they are.")
    int update(@Parameters(paramLabel = "NAME") String name, @Option(names = "--title") String title,
            @Option(names = "--color") String color, @Option(names = "--description") String description,
            @Option(names = "--visitor-role", paramLabel = "ROLE") List<String> visitorRoles) {
        return show(List.of(client().changeTag(name, new TagChange(null, title, color, description, visitorRoles))),
                Views::tags);
    }

    @Command(name = "delete", description = "Delete a tag; it is removed from every app.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        client().deleteTag(name);
        return done("deleted tag " + name);
    }
}
