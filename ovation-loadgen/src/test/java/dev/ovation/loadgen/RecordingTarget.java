package dev.ovation.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A vote target that records each request and the time it left, and answers as the test says. */
final class RecordingTarget implements VoteTarget {

    /** One request: its votes and when it was sent. */
    record Request(List<Send> sends, long atNanos) {
    }

    private final NanoClock clock;
    private final BiConsumer<RecordingTarget, List<Send>> answer;
    final List<Request> requests = new ArrayList<>();

    /**
     * @param answer what to do with each request once recorded (answer it, advance the clock...)
     */
    RecordingTarget(NanoClock clock, BiConsumer<RecordingTarget, List<Send>> answer) {
        this.clock = clock;
        this.answer = answer;
    }

    @Override
    public void send(List<Send> sends) {
        requests.add(new Request(List.copyOf(sends), clock.nanoTime()));
        answer.accept(this, sends);
    }

    @Override
    public String describe() {
        return "a recording target";
    }

    @Override
    public void close() {
    }

    int votes() {
        return requests.stream().mapToInt(r -> r.sends().size()).sum();
    }
}
