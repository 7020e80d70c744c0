/**
 * JMH benchmarks: the manager (committing changes to the durable store, computing group
 * membership) and the policy compiler (full compile, incremental changes against full
 * recompute), over a seeded synthetic data center; the sample partner IDS's signature matching;
 * and the runner and report that go with them.
 */
package io.ringfence.benchmarks;
