package dev.manageprocs.unit;

import java.util.Optional;

/**
 * manager.toml's {@code [defaults]}: values every unit inherits key by key unless it sets its own.
 * Only {@link ManagerConfig} makes these, after checking them, so a unit never fails for a bad default.
 */
public final class Defaults {
    /** No [defaults]: the built-in defaults only. */
    public static final Defaults NONE = new Defaults(null);

    private final Layer layer;

    Defaults(Layer layer) {
        this.layer = layer;
    }

    Optional<Layer> layer() {
        return Optional.ofNullable(layer);
    }
}
