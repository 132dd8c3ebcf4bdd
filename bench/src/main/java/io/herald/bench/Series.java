package io.herald.bench;

import java.util.List;

/** One named line of a {@link Chart}. */
public record Series(String name, List<Point> points) {

    public Series {
        points = List.copyOf(points);
    }
}
