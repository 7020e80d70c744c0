package io.ringfence.redirection.internal;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Direction;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.redirection.RedirectionService;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the redirection table current: every model change asks for a rebuild of the whole table
 * (see {@link RedirectionTable} for its cost), which a thread of its own runs, and the new table
 * replaces the old one in one volatile write. A lookup reads the field once and uses that table to
 * the end, so it never sees half a rebuild and never waits for one; between a change and the swap,
 * lookups answer from the previous revision. Changes that arrive during a rebuild are coalesced:
 * the next rebuild takes the newest model.
 *
 * <p>Why a thread of its own rather than the model listener's call: a whole rebuild would hold the
 * model manager's write lock (every commit waits for its listeners), and the membership it needs is
 * the policy compiler's, which is itself a model listener and may be told of a change after this
 * one. So a rebuild checks that the compiler's membership is of the model's revision and, when the
 * compiler has not caught up yet, tries again after a short, growing delay (200 µs doubling up to
 * 100 ms; a warning is logged once if that lasts over {@value #WARN_AFTER_SECONDS} s).
 */
public final class RedirectionManager implements RedirectionService, ModelListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedirectionManager.class.getName());
    static final long FIRST_RETRY_MICROS = 200;
    static final long MAX_RETRY_MICROS = 100_000;
    static final long WARN_AFTER_SECONDS = 10;

    private final PolicyCompilerService compiler;
    private final ScheduledExecutorService rebuilder;
    private final AtomicReference<ModelSnapshot> wanted = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile RedirectionTable table = RedirectionTable.EMPTY;

    // used by the rebuilding thread only
    private long retryMicros;
    private long behindSinceNanos;
    private boolean warned;

    public RedirectionManager(PolicyCompilerService compiler) {
        this.compiler = compiler;
        this.rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringfence-redirection");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void modelChanged(ModelChangeEvent event) {
        wanted.set(event.after());
        schedule(0);
    }

    @Override
    public Optional<ChainSelection> select(String vnicId, Direction direction, Packet packet) {
        return table.select(vnicId, direction, packet);
    }

    @Override
    public long revision() {
        return table.revision();
    }

    /** Stops rebuilding; lookups keep answering from the last table. */
    @Override
    public void close() {
        rebuilder.shutdownNow();
    }

    private void schedule(long delayMicros) {
        if (scheduled.compareAndSet(false, true)) {
            try {
                rebuilder.schedule(this::rebuild, delayMicros, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException closed) {
                scheduled.set(false);
            }
        }
    }

    private void rebuild() {
        scheduled.set(false);
        ModelSnapshot model = wanted.get();
        RedirectionTable current = table;
        if (model == null || model == current.model()) {
            return;
        }
        try {
            table = RedirectionTable.build(model, compiler, current);
            retryMicros = 0;
            behindSinceNanos = 0;
            warned = false;
        } catch (RedirectionTable.StaleMembership e) {
            long now = System.nanoTime();
            if (retryMicros == 0) {
                behindSinceNanos = now;
            } else if (!warned && now - behindSinceNanos > TimeUnit.SECONDS.toNanos(WARN_AFTER_SECONDS)) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "redirection stays at revision " + current.revision()
                        + ": " + e.getMessage() + " for over " + WARN_AFTER_SECONDS + " s");
            }
            retryMicros = retryMicros == 0 ? FIRST_RETRY_MICROS : Math.min(MAX_RETRY_MICROS, retryMicros * 2);
            schedule(retryMicros);
        } catch (RuntimeException e) {
            // a table that could not be built is not half-built: the previous one stays in force
            LOG.log(System.Logger.Level.ERROR, "the redirection table of revision " + model.revision()
                    + " could not be built; redirection stays at revision " + current.revision(), e);
        }
    }
}
