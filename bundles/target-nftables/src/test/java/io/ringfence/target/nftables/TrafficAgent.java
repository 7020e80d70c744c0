package io.ringfence.target.nftables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The traffic end of a VM in the namespace test: a small program run inside the VM's network
 * namespace, driven line by line over stdin, answering each command with one line on stdout.
 * Every network operation has its own timeout; the agent exits when stdin closes.
 *
 * <pre>
 * listen tcp|udp PORT            echo server on every address           -> ok
 * listen ticker PORT             TCP server sending a byte every 100 ms  -> ok
 * connect ID ADDRESS PORT MILLIS open TCP connection ID                  -> ok | refused | timeout | unreachable
 * echo ID MILLIS                 one byte there and back on connection ID -> ok | timeout | reset | closed
 * receive ID MILLIS              a fresh byte from the peer, sending none -> ok | timeout | reset | closed
 * udp ADDRESS PORT MILLIS        one datagram there and back             -> ok | timeout | refused | unreachable
 * </pre>
 */
public final class TrafficAgent {

    private final Map<String, Socket> connections = new HashMap<>();

    public static void main(String[] args) throws IOException {
        new TrafficAgent().run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void run(BufferedReader commands) throws IOException {
        for (String line; (line = commands.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            String answer;
            try {
                answer = switch (w[0]) {
                    case "listen" -> listen(w[1], Integer.parseInt(w[2]));
                    case "connect" -> connect(w[1], w[2], Integer.parseInt(w[3]), Integer.parseInt(w[4]));
                    case "echo" -> echo(w[1], Integer.parseInt(w[2]));
                    case "receive" -> receive(w[1], Integer.parseInt(w[2]));
                    case "udp" -> udp(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                    default -> "error unknown command " + w[0];
                };
            } catch (RuntimeException e) {
                answer = "error " + e;
            }
            System.out.println(answer);
            System.out.flush();
        }
        System.exit(0);
    }

    private static String listen(String protocol, int port) throws IOException {
        if (protocol.equals("ticker")) {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            daemon(() -> {
                while (true) {
                    Socket s = server.accept();
                    daemon(() -> {
                        try (s; OutputStream out = s.getOutputStream()) {
                            while (true) {
                                out.write('t');
                                out.flush();
                                Thread.sleep(100);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            });
        } else if (protocol.equals("tcp")) {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            daemon(() -> {
                while (true) {
                    Socket s = server.accept();
                    daemon(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            for (int b; (b = in.read()) >= 0; ) {
                                out.write(b);
                                out.flush();
                            }
                        }
                    });
                }
            });
        } else {
            DatagramSocket socket = new DatagramSocket(port);
            daemon(() -> {
                byte[] buffer = new byte[1500];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
            });
        }
        return "ok";
    }

    private String connect(String id, String address, int port, int millis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), millis);
        } catch (SocketTimeoutException e) {
            s.close();
            return "timeout";
        } catch (ConnectException e) {
            s.close();
            return e.getMessage() != null && e.getMessage().contains("refused") ? "refused" : "unreachable";
        } catch (NoRouteToHostException e) {
            s.close();
            return "unreachable";
        }
        connections.put(id, s);
        return "ok";
    }

    private String echo(String id, int millis) throws IOException {
        Socket s = connections.get(id);
        try {
            s.setSoTimeout(millis);
            s.getOutputStream().write('x');
            s.getOutputStream().flush();
            return s.getInputStream().read() == 'x' ? "ok" : "closed";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (SocketException e) {
            return "reset";
        }
    }

    /** Waits for a byte the peer sends after this call (what arrived before is skipped). */
    private String receive(String id, int millis) throws IOException {
        Socket s = connections.get(id);
        try {
            InputStream in = s.getInputStream();
            in.skip(in.available());
            s.setSoTimeout(millis);
            return in.read() >= 0 ? "ok" : "closed";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (SocketException e) {
            return "reset";
        }
    }

    private static String udp(String address, int port, int millis) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(InetAddress.getByName(address), port);
            socket.setSoTimeout(millis);
            socket.send(new DatagramPacket(new byte[] {'x'}, 1));
            byte[] buffer = new byte[16];
            socket.receive(new DatagramPacket(buffer, buffer.length));
            return "ok";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (PortUnreachableException e) {
            return "refused";
        } catch (IOException e) {
            return "unreachable";
        }
    }

    /** A task that may throw, on a daemon thread: the agent ends with its stdin, whatever serves. */
    private interface Task {
        void run() throws IOException;
    }

    private static void daemon(Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                // the peer went away, or the agent is ending
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
