package dev.ovation.model.contest;

import java.util.List;
import java.util.Optional;

/** Where the services look contests up. */
public interface ContestDirectory {

    /** The contest with this id, if it exists. */
    Optional<Contest> find(String id);

    /** Every contest, by id. */
    List<Contest> all();
}
