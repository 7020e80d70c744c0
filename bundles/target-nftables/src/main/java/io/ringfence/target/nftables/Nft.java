package io.ringfence.target.nftables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs nft: a script through {@code nft -f -}, listings through {@code nft -j list ...}. */
final class Nft {

    /** nft ran and refused (the script, or the kernel refused the transaction). */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    /** nft could not be run, or did not finish in time. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int MAX_MESSAGE = 2000;

    private final List<String> command;
    private final Duration timeout;

    Nft(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    /** Applies a script as one transaction. */
    void apply(String script) throws RefusedException, UnavailableException {
        run(script, "-f", "-");
    }

    /** {@code nft -j list <what>}: the JSON text. */
    String listJson(String... what) throws RefusedException, UnavailableException {
        List<String> args = new ArrayList<>(List.of("-j", "list"));
        args.addAll(List.of(what));
        return run(null, args.toArray(String[]::new));
    }

    private String run(String input, String... args) throws RefusedException, UnavailableException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UnavailableException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // read both streams while writing, each on its own thread, so that nft never blocks on a full pipe
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), Nft::reader);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), Nft::reader);
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // nft stopped reading: its exit status and error output say why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new UnavailableException(String.join(" ", cmd) + " did not finish within " + timeout, null);
            }
            String stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (p.exitValue() != 0) {
                String message = stderr.isBlank() ? stdout : stderr;
                throw new RefusedException("nft exited with " + p.exitValue() + ": " + (message.length() > MAX_MESSAGE
                        ? message.substring(0, MAX_MESSAGE) + " ..." : message.strip()));
            }
            return stdout;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while nft ran", e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new UnavailableException("cannot read what nft wrote: " + e, e);
        }
    }

    private static void reader(Runnable task) {
        Thread t = new Thread(task, "ringfence-nft-output");
        t.setDaemon(true);
        t.start();
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
