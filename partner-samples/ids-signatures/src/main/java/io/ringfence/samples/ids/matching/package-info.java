/**
 * Multi-pattern matching over byte streams: an Aho-Corasick automaton whose state a caller carries
 * from one packet to the next. Knows nothing of signatures or flows.
 */
package io.ringfence.samples.ids.matching;
