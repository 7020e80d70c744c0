/**
 * A sample partner inspection function built on the SPI alone: identifies the application of a flow
 * (HTTP, TLS, SSH, DNS) and the host name it asks for from its first payload bytes, and allows or
 * denies it by the lists of a profile. See the module's README for the partner guide.
 *
 * <p>{@link io.ringfence.samples.appid.AppIdService} is the service, one
 * {@link io.ringfence.samples.appid.AppIdSession} inspects each flow, buffering its first bytes in a
 * {@link io.ringfence.samples.appid.StreamPrefix} per side, and decides by an
 * {@link io.ringfence.samples.appid.AppPolicy}. The package is private to the bundle.
 */
package io.ringfence.samples.appid;
