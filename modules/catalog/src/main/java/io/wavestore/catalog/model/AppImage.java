package io.wavestore.catalog.model;

/** An icon or screenshot of an app version: a pointer into blob storage and what the browser needs. */
public record AppImage(Kind kind, int position, String digest, String mediaType, long size, int width, int height) {

    public enum Kind { ICON, SCREENSHOT }
}
