/**
 * Recognizers of application protocols in the first bytes of a flow: TLS ClientHello (server name,
 * ALPN), HTTP/1.x request head (Host), SSH version exchange and DNS query (first question).
 *
 * <p>Every recognizer reads untrusted bytes: it checks each length against the bytes it has and the
 * structure that encloses it, never follows a pointer, allocates at most in proportion to its input,
 * never throws, and answers with a {@link io.ringfence.samples.appid.protocol.Scan}: a match, a need
 * for more bytes, or no match (not this protocol, or this protocol but malformed). The recognizers are
 * pure functions of the bytes: callers decide how many bytes to buffer.
 */
package io.ringfence.samples.appid.protocol;
