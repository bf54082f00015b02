package io.wavestore.server.alias;

import io.wavestore.bundle.ErrorCode;
import io.wavestore.bundle.RefusedException;

/** An alias change that cannot be made: why (one of the codes here), what exactly, and the field that was wrong. */
public final class AliasException extends RefusedException {
    private static final long serialVersionUID = 1L;

    public static final ErrorCode NOT_FOUND = new ErrorCode.Of("alias-not-found", "Alias not found", 404);
    public static final ErrorCode INVALID = new ErrorCode.Of("invalid-parameter", "Invalid parameter", 400);
    public static final ErrorCode EXISTS = new ErrorCode.Of("alias-exists", "Alias exists", 409);
    public static final ErrorCode UNASSIGNED = new ErrorCode.Of("alias-unassigned", "Alias points nowhere", 409);
    public static final ErrorCode INSTANCE_NOT_FOUND = new ErrorCode.Of("instance-not-found", "Instance not found", 404);
    public static final ErrorCode SIGN_IN_REQUIRED = new ErrorCode.Of("sign-in-required", "Sign-in required", 401);
    public static final ErrorCode FORBIDDEN = new ErrorCode.Of("forbidden", "Not allowed", 403);

    /** @param field the input that was wrong, or null */
    public AliasException(ErrorCode error, String detail, String field) {
        super(error, detail, field);
    }

    public static AliasException notFound(String name) {
        return new AliasException(NOT_FOUND, "there is no alias " + name, null);
    }

    public static AliasException invalid(String field, String detail) {
        return new AliasException(INVALID, detail, field);
    }
}
