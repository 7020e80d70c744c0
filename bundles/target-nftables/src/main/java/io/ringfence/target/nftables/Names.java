package io.ringfence.target.nftables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names the target gives nft objects. No id from the model ever reaches a script: ports,
 * vNIC chains and address-group sets get small numbers (stable while their owner exists, so that
 * consecutive rulesets differ only where the state did), counters a digest of what they count (so
 * that they keep counting across updates and restarts of the target). Every name is
 * {@code [a-z][a-z0-9_]*}, which nft takes without quoting and which no nft keyword looks like.
 */
final class Names {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, Integer> groups = new HashMap<>();

    /** The port number (1-65535) of an interface: its tag in the packet mark. */
    int port(String ifname) {
        return number(ports, ifname, 0xFFFF);
    }

    /** The number of an address group's sets. */
    int group(String groupId) {
        return number(groups, groupId, Integer.MAX_VALUE);
    }

    /** Forgets the owners not in the current state, so that their numbers can serve again. */
    void retain(Collection<String> ifnames, Collection<String> groupIds) {
        ports.keySet().retainAll(Set.copyOf(ifnames));
        groups.keySet().retainAll(Set.copyOf(groupIds));
    }

    private static int number(Map<String, Integer> numbers, String owner, int max) {
        Integer n = numbers.get(owner);
        if (n == null) {
            Set<Integer> used = new HashSet<>(numbers.values());
            n = 1;
            while (used.contains(n)) {
                n++;
            }
            if (n > max) {
                throw new IllegalStateException("more than " + max + " names of one kind");
            }
            numbers.put(owner, n);
        }
        return n;
    }

    /** The counter of one rule of one vNIC in one direction ({@code default} for the default rule). */
    static String counter(String vnicId, String direction, String ruleId) {
        byte[] d = sha256(vnicId + '\0' + direction + '\0' + ruleId);
        StringBuilder sb = new StringBuilder("c_");
        // 130 bits of the digest in base32: collisions are not a concern
        int bits = 0;
        int value = 0;
        for (int i = 0; sb.length() < 28; ) {
            if (bits < 5) {
                value = (value << 8) | (d[i++] & 0xFF);
                bits += 8;
            }
            sb.append(BASE32[(value >>> (bits - 5)) & 31]);
            bits -= 5;
        }
        return sb.toString();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
