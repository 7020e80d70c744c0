/**
 * The model manager: validation across the whole model, group membership, and the single
 * writer that commits each change to the store before publishing the new snapshot.
 */
package io.ringfence.manager.internal;
