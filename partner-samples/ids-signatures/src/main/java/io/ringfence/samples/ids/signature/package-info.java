/**
 * Signatures: the rule format (parsed with errors naming line and column), the compiled signature
 * set (one Aho-Corasick automaton for case-sensitive contents, one for {@code nocase} ones) and the
 * per-stream matcher that tracks each rule's contents in order.
 */
package io.ringfence.samples.ids.signature;
