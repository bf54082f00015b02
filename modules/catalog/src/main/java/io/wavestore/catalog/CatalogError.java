package io.wavestore.catalog;

/** Why a catalog operation was refused; each has a stable code used as the problem type at the API. */
public enum CatalogError {
    APP_NOT_FOUND("app-not-found", "App not found"),
    IMAGE_NOT_FOUND("image-not-found", "Image not found"),
    TAG_NOT_FOUND("tag-not-found", "Tag not found"),
    APP_VERSION_EXISTS("app-version-exists", "App version already exists"),
    APP_NAME_TAKEN("app-name-taken", "App name belongs to another owner"),
    TAG_EXISTS("tag-exists", "Tag already exists"),
    FORBIDDEN("forbidden", "Not allowed"),
    SIGN_IN_REQUIRED("sign-in-required", "Sign-in required"),
    INVALID_FIELD("invalid-field", "Invalid field"),
    BLOB_MISSING("blob-missing", "Stored file is missing");

    private final String code;
    private final String title;

    CatalogError(String code, String title) {
        this.code = code;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
