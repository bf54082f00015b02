package io.wavestore.catalog;

import io.wavestore.bundle.ErrorCode;

/** Why a catalog operation was refused; each has a stable code used as the problem type at the API. */
public enum CatalogError implements ErrorCode.OfEnum {
    APP_NOT_FOUND("app-not-found", "App not found", 404),
    IMAGE_NOT_FOUND("image-not-found", "Image not found", 404),
    TAG_NOT_FOUND("tag-not-found", "Tag not found", 404),
    APP_VERSION_EXISTS("app-version-exists", "App version already exists", 409),
    APP_NAME_TAKEN("app-name-taken", "App name belongs to another owner", 409),
    TAG_EXISTS("tag-exists", "Tag already exists", 409),
    FORBIDDEN("forbidden", "Not allowed", 403),
    SIGN_IN_REQUIRED("sign-in-required", "Sign-in required", 401),
    INVALID_FIELD("invalid-field", "Invalid field", 422),
    BLOB_MISSING("blob-missing", "Stored file is missing", 500);

    private final Of value;

    CatalogError(String code, String title, int status) {
        this.value = new Of(code, title, status);
    }

    @Override
    public Of value() {
        return value;
    }
}
