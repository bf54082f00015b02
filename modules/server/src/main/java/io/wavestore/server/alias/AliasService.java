package io.wavestore.server.alias;

import io.wavestore.router.alias.Alias;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The alias rules, over PostgreSQL (the {@code aliases} table of modules/database). Blocking: the routes call it on
 * the router's blocking dispatcher; the router reads the aliases through its port ({@link #list()} as its
 * {@link io.wavestore.router.alias.AliasLookup}). Each change is
 * one transaction that locks the rows it reads, so concurrent admins (on any replica) see each other's changes in
 * order; a refused change leaves nothing behind.
 */
public final class AliasService {

    private final Jdbi jdbi;
    private final Clock clock;

    public AliasService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public List<Alias> list() {
        return jdbi.onDemand(AliasDao.class).list().stream().map(AliasRow::toAlias).toList();
    }

    public List<Alias> listFor(String instanceId) {
        return jdbi.onDemand(AliasDao.class).listFor(instanceId).stream().map(AliasRow::toAlias).toList();
    }

    public Optional<Alias> find(String name) {
        return jdbi.onDemand(AliasDao.class).find(name).map(AliasRow::toAlias);
    }

    /**
     * A new alias, pointing at {@code instanceId} when given (the caller checked that the instance exists). It is the
     * primary alias when asked, or when the instance has none yet.
     */
    public Alias create(String name, Optional<String> instanceId, boolean primary, String createdBy) {
        Alias.invalidName(name).ifPresent(problem -> {
            throw AliasException.invalid("name", problem);
        });
        if (primary && instanceId.isEmpty()) {
            throw AliasException.invalid("primary", "only an alias that points at an instance can be its primary alias");
        }
        return transaction(handle -> {
            AliasDao dao = handle.attach(AliasDao.class);
            Instant now = now();
            boolean makePrimary = false;
            if (instanceId.isPresent()) {
                List<AliasRow> siblings = dao.lockFor(instanceId.get());
                makePrimary = primary || siblings.stream().noneMatch(AliasRow::isPrimary);
                if (makePrimary) {
                    dao.demoteAll(instanceId.get(), now);
                }
            }
            AliasRow row = new AliasRow(name, instanceId.orElse(null), makePrimary, createdBy, now, now);
            if (dao.insert(row) == 0) {
                throw new AliasException(AliasException.EXISTS, "the alias " + name + " exists already", "name");
            }
            return row.toAlias();
        });
    }

    /**
     * Points the alias at another instance (the caller checked that it exists). Its URL stays: this is how an alias
     * moves to the instance of a newer app version. It stays (or becomes) primary only where no other alias is.
     */
    public Alias assign(String name, String instanceId) {
        return transaction(handle -> {
            AliasDao dao = handle.attach(AliasDao.class);
            AliasRow current = dao.lock(name).orElseThrow(() -> AliasException.notFound(name));
            if (instanceId.equals(current.instanceId())) {
                return current.toAlias();
            }
            List<AliasRow> siblings = dao.lockFor(instanceId);
            boolean primary = siblings.stream().noneMatch(AliasRow::isPrimary);
            Instant now = now();
            dao.point(name, instanceId, primary, now);
            return dao.find(name).orElseThrow().toAlias();
        });
    }

    /** Makes the alias its instance's primary one; the previous primary stays an alias that redirects here. */
    public Alias promote(String name) {
        return transaction(handle -> {
            AliasDao dao = handle.attach(AliasDao.class);
            AliasRow seen = dao.find(name).orElseThrow(() -> AliasException.notFound(name));
            if (seen.instanceId() == null) {
                throw unassigned(name);
            }
            // Every alias of the instance, locked in one order (by name) by every promotion: no two wait on each other.
            AliasRow current = dao.lockFor(seen.instanceId()).stream().filter(row -> row.name().equals(name)).findFirst()
                    .orElseThrow(() -> new Moved());
            if (current.isPrimary()) {
                return current.toAlias();
            }
            Instant now = now();
            dao.demoteAll(current.instanceId(), now);
            dao.promote(name, now);
            return dao.find(name).orElseThrow().toAlias();
        });
    }

    /** Removes the alias; its URL answers 404 from now on. */
    public void delete(String name) {
        if (jdbi.onDemand(AliasDao.class).delete(name) == 0) {
            throw AliasException.notFound(name);
        }
    }

    /**
     * Runs a change in one transaction, again when it lost a race it can win next time: two changes that both made a
     * primary alias for an instance that had none (the unique index stops the second), two admins moving aliases
     * crosswise (PostgreSQL breaks the deadlock), or an alias that moved while a promotion locked its instance.
     */
    private <T> T transaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, change);
            } catch (Moved e) {
                if (attempt >= 5) {
                    throw new IllegalStateException("the alias kept moving while it was changed", e);
                }
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                if (attempt >= 5 || !retryable(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean retryable(Exception e) {
        if (!(e.getCause() instanceof java.sql.SQLException sql)) {
            return false;
        }
        String state = String.valueOf(sql.getSQLState());
        return state.equals("40P01") || state.equals("40001")
                || (state.equals("23505") && String.valueOf(sql.getMessage()).contains("aliases_one_primary_idx"));
    }

    private static AliasException unassigned(String name) {
        return new AliasException(AliasException.UNASSIGNED,
                "the alias " + name + " points at no instance; assign it to one first", null);
    }

    /** The alias moved to another instance between reading and locking: run the change again. */
    private static final class Moved extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
