package org.ddabridge.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small pool for blocking file reads. The common ForkJoinPool has only (cores - 1) threads, one on a
 * two-core machine, which serialises reads that spend their time waiting in the kernel.
 */
public final class IoPool {
    private static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "ddabridge-io");
        t.setDaemon(true);
        return t;
    });
    /** True on a pool thread while it runs a task. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    /** Below this many items a single thread is faster than handing work out. */
    private static final int PARALLEL_THRESHOLD = 64;

    private IoPool() {
    }

    /** {@code fn} applied to every item, results in input order. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> fn) {
        int n = items.size();
        // Inside the pool already (a task that maps in turn): run here, never wait on the pool from within it.
        if (n < PARALLEL_THRESHOLD || INSIDE.get()) {
            List<R> out = new ArrayList<>(n);
            for (T t : items) {
                out.add(fn.apply(t));
            }
            return out;
        }
        @SuppressWarnings("unchecked")
        R[] results = (R[]) new Object[n];
        AtomicInteger next = new AtomicInteger();
        int chunk = 32;
        List<Future<?>> futures = new ArrayList<>(THREADS);
        for (int w = 0; w < THREADS; w++) {
            futures.add(POOL.submit(() -> {
                INSIDE.set(true);
                try {
                    int start;
                    while ((start = next.getAndAdd(chunk)) < n) {
                        for (int i = start; i < Math.min(n, start + chunk); i++) {
                            results[i] = fn.apply(items.get(i));
                        }
                    }
                } finally {
                    INSIDE.set(false);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(cause);
            }
        }
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(results));
    }
}
