/**
 * The sample IDS/IPS as an inspection function: the {@code InspectionService} (plain Java, with a
 * thin Declarative Services component around it), its sessions (TCP sequence tracking per side,
 * verdicts, alerts) and the format of the session state handed to a newer version on upgrade.
 */
package io.ringfence.samples.ids;
