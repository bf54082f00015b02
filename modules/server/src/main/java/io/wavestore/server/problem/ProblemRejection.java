package io.wavestore.server.problem;

import org.apache.pekko.http.javadsl.server.CustomRejection;

/** A request refused with a known problem by a directive or an unmarshaller (which can only reject, not fail). */
public record ProblemRejection(Problem problem) implements CustomRejection {

    /** What an unmarshaller throws to reject with {@code problem} (pekko's entity directive turns it into this). */
    public static RuntimeException error(Problem problem) {
        return new org.apache.pekko.http.scaladsl.server.RejectionError(new ProblemRejection(problem));
    }
}
