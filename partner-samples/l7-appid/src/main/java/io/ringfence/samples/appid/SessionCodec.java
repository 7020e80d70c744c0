package io.ringfence.samples.appid;

import io.ringfence.samples.appid.protocol.App;
import io.ringfence.samples.appid.protocol.Identification;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.SessionState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The state a session hands to its successor across an upgrade, format {@value #FORMAT}: a kind byte,
 * then for an identified flow the application, host and detail (each string a two-byte length and
 * UTF-8), for a flow being identified the client's stream prefix, whether the server's is still
 * read and if so the server's (see {@link StreamPrefix#writeTo}). Big-endian throughout. A later
 * version that changes the layout changes the format's number, so that an older importer refuses it.
 */
final class SessionCodec {

    static final String FORMAT = "l7-appid/1";
    private static final byte IDENTIFYING = 0;
    private static final byte IDENTIFIED = 1;

    private SessionCodec() {
    }

    static SessionState encode(Identification identification) {
        return write(out -> {
            out.writeByte(IDENTIFIED);
            writeString(out, identification.app().id());
            writeString(out, identification.host());
            writeString(out, identification.detail());
        });
    }

    static SessionState encode(StreamPrefix client, StreamPrefix server) {
        return write(out -> {
            out.writeByte(IDENTIFYING);
            client.writeTo(out);
            out.writeBoolean(server != null);
            if (server != null) {
                server.writeTo(out);
            }
        });
    }

    /**
     * A session going on from {@code state} under {@code policy}.
     *
     * @throws IllegalArgumentException if the state is of another format or corrupt
     */
    static AppIdSession decode(SessionState state, FlowContext flow, AppPolicy policy, AlertSink alerts) {
        if (!FORMAT.equals(state.format())) {
            throw new IllegalArgumentException("unknown session state format " + state.format() + ", expected " + FORMAT);
        }
        ByteBuffer in = ByteBuffer.wrap(state.data());
        try {
            AppIdSession session = switch (in.get()) {
                case IDENTIFIED -> {
                    String id = readString(in);
                    App app = App.ofId(id);
                    if (app == null) {
                        throw new IllegalArgumentException("unknown application in session state: " + id);
                    }
                    yield AppIdSession.identified(flow, policy, alerts, new Identification(app, readString(in), readString(in)));
                }
                case IDENTIFYING -> {
                    StreamPrefix client = StreamPrefix.readFrom(in, policy.maxBytes());
                    StreamPrefix server = readBoolean(in) ? StreamPrefix.readFrom(in, policy.maxBytes()) : null;
                    yield new AppIdSession(flow, policy, alerts, client, server);
                }
                default -> throw new IllegalArgumentException("corrupt session state: unknown kind");
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("corrupt session state: " + in.remaining() + " bytes left over");
            }
            return session;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt session state: truncated", e);
        }
    }

    static boolean readBoolean(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("corrupt session state: boolean " + b);
        }
        return b == 1;
    }

    /** A nullable string: a length of 0xFFFF stands for null. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(0xFFFF);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getShort() & 0xFFFF;
        if (length == 0xFFFF) {
            return null;
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("corrupt session state: truncated string");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static SessionState write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new SessionState(FORMAT, bytes.toByteArray());
    }
}
