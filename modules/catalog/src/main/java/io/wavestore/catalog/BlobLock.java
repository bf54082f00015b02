package io.wavestore.catalog;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * One PostgreSQL advisory lock, cluster-wide, that keeps blob writes and blob deletes apart. Imports hold it
 * shared from their first blob write to their commit (many at once); deletes and orphan collection hold it
 * exclusively. So a blob that an import is about to point to is never deleted from under it, on any replica.
 */
final class BlobLock {

    /** "WAVESTOR" in ASCII: a fixed key that no other lock in this database uses. */
    private static final long KEY = 0x5741564553544F52L;

    private BlobLock() {
    }

    static <R, X extends Exception> R shared(Jdbi jdbi, HandleCallback<R, X> work) throws X {
        return locked(jdbi, "pg_advisory_lock_shared", "pg_advisory_unlock_shared", work);
    }

    static <R, X extends Exception> R exclusive(Jdbi jdbi, HandleCallback<R, X> work) throws X {
        return locked(jdbi, "pg_advisory_lock", "pg_advisory_unlock", work);
    }

    private static <R, X extends Exception> R locked(Jdbi jdbi, String lock, String unlock, HandleCallback<R, X> work)
            throws X {
        try (Handle handle = jdbi.open()) {
            // pg_advisory_lock returns void, which has no Java mapping: select a constant next to it.
            handle.createQuery("SELECT 1 FROM (SELECT " + lock + "(:key)) l").bind("key", KEY).mapTo(Integer.class).one();
            try {
                return work.withHandle(handle);
            } finally {
                handle.createQuery("SELECT " + unlock + "(:key)").bind("key", KEY).mapTo(Boolean.class).one();
            }
        }
    }
}
