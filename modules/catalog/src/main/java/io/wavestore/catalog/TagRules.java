package io.wavestore.catalog;

import io.wavestore.catalog.model.TagSpec;
import java.util.Set;
import java.util.regex.Pattern;

/** What a valid tag looks like; each refusal names its field. */
final class TagRules {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-_A-Za-z0-9]{0,61}[A-Za-z0-9])?");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,63}");
    static final String DEFAULT_COLOR = "#5e6ad2";

    private TagRules() {
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("name", "tag name must be 1-63 letters, digits, '-' or '_', starting and ending"
                    + " with a letter or digit (like DATA_SCIENCE or ml)");
        }
    }

    static void check(TagSpec spec) {
        spec.title().ifPresent(title -> {
            if (title.isBlank() || title.length() > 100) {
                throw invalid("title", "title must be 1-100 characters");
            }
        });
        spec.color().ifPresent(color -> {
            if (!COLOR.matcher(color).matches()) {
                throw invalid("color", "color must be a hex colour like #1f6feb");
            }
        });
        spec.description().ifPresent(description -> {
            if (description.length() > 2000) {
                throw invalid("description", "description must be at most 2000 characters");
            }
        });
        spec.visitorRoles().ifPresent(TagRules::checkRoles);
    }

    private static void checkRoles(Set<String> roles) {
        if (roles.size() > 50) {
            throw invalid("visitorRoles", "at most 50 visitor roles");
        }
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw invalid("visitorRoles", "visitor role '" + role + "' must be 1-63 letters, digits or ._:-");
            }
        }
    }

    private static CatalogException invalid(String field, String detail) {
        return new CatalogException(CatalogError.INVALID_FIELD, detail, field);
    }
}
