package io.herald.core.receiver;

import java.util.List;

/** What a receiver list yielded: the receivers to deliver to and the items that were refused. */
public record ParsedReceivers(List<Receiver> receivers, List<ReceiverProblem> problems) {

    public ParsedReceivers {
        receivers = List.copyOf(receivers);
        problems = List.copyOf(problems);
    }
}
