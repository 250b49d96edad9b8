package dev.sluice.stages.documents;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fe80::/10}); a bare address
 * is its own block ({@code /32} or {@code /128}). An IPv4 block never contains an IPv6 address and
 * the other way round: IPv4-mapped forms are unwrapped by {@link AddressRules} before matching.
 */
final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code address[/prefix]}; the address must be a literal (no name is looked up).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec}
     */
    static Cidr parse(String spec) {
        String s = spec.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        InetAddress literal = literal(address);
        if (literal == null) {
            throw new IllegalArgumentException("'" + spec + "' is not an IP address or CIDR block");
        }
        if (address.contains(":") && literal.getAddress().length == 4) {
            throw new IllegalArgumentException("'" + spec + "' is an IPv4-mapped block: write it in IPv4 form");
        }
        byte[] bytes = literal.getAddress();
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' has no numeric prefix length");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + spec + "' has a prefix length outside 0.." + bits);
        }
        return new Cidr(bytes, prefix, s);
    }

    /**
     * The address {@code s} spells when it is a dotted-quad IPv4 or an IPv6 literal (brackets
     * allowed, no zone), else null. Only such strings reach {@link InetAddress#getByName}, so this
     * never looks up a name.
     */
    static InetAddress literal(String s) {
        String a = unbracket(s);
        boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && Arrays.stream(a.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean v6 = a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        if (!Arrays.equals(a, 0, full, network, 0, full)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }

    private static String unbracket(String s) {
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }
}
