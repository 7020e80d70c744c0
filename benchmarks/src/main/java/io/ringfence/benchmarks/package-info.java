/**
 * JMH benchmarks: the manager (committing changes to the durable store, computing group
 * membership) and the policy compiler (full compile, incremental changes against full
 * recompute), over a seeded synthetic data center; the data plane's flow path (established
 * packets from raw frames, new flows, heap per tracked flow) and classifier (lookups against a
 * linear scan, one-rule updates against a full build, over ClassBench-style rule sets); the sample
 * partner IDS's signature matching; and the runner and reports that go with them.
 */
package io.ringfence.benchmarks;
