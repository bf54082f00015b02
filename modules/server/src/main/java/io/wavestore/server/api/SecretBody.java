package io.wavestore.server.api;

import java.util.Map;

/** A secret to create ({@code name}, {@code scope}, {@code app} for APP, {@code values}) or new values for one. */
public record SecretBody(String name, String scope, String app, Map<String, String> values) {}
