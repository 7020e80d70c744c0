/** JMH benchmarks of the manager: committing changes to the durable store, computing group membership. */
package io.ringfence.benchmarks;
