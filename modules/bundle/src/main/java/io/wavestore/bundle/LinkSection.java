package io.wavestore.bundle;

/** {@code [Link]}: where a {@link InstanceLifecycle#LINK} app points to; an absolute http(s) URL. */
public record LinkSection(String address) {}
