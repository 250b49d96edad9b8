package dev.sluice.stages.documents;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges a PDF link must not reach, each with the name of its rule: loopback,
 * unspecified and "this network", link-local, private (RFC 1918), carrier-grade NAT, IPv6
 * unique-local and site-local, multicast and the reserved 240/4 (broadcast included). IPv6 forms
 * that carry an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96},
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the IPv4 address they carry.
 */
final class AddressRules {

    /** Why an address is refused: {@code <address> is <what> (rule: <rule>)}. */
    record Violation(String address, String what, String rule) {
        @Override
        public String toString() {
            return address + " is " + what + " (rule: " + rule + ")";
        }
    }

    private record Rule(Cidr block, String what, String rule) {
    }

    private static final List<Rule> RULES = List.of(
            rule("0.0.0.0/8", "an unspecified or this-network address", "unspecified-ipv4"),
            rule("127.0.0.0/8", "a loopback address", "loopback-ipv4"),
            rule("169.254.0.0/16", "a link-local address", "link-local-ipv4"),
            rule("10.0.0.0/8", "a private address", "private-ipv4"),
            rule("172.16.0.0/12", "a private address", "private-ipv4"),
            rule("192.168.0.0/16", "a private address", "private-ipv4"),
            rule("100.64.0.0/10", "a carrier-grade NAT address", "cgnat-ipv4"),
            rule("224.0.0.0/4", "a multicast address", "multicast-ipv4"),
            rule("240.0.0.0/4", "a reserved or broadcast address", "reserved-ipv4"),
            rule("::/128", "the unspecified address", "unspecified-ipv6"),
            rule("::1/128", "a loopback address", "loopback-ipv6"),
            rule("fe80::/10", "a link-local address", "link-local-ipv6"),
            rule("fec0::/10", "a site-local address", "site-local-ipv6"),
            rule("fc00::/7", "a unique-local address", "unique-local-ipv6"),
            rule("ff00::/8", "a multicast address", "multicast-ipv6"));

    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private AddressRules() {
    }

    /** The rule {@code address} breaks, or empty when it is a public unicast address. */
    static Optional<Violation> check(InetAddress address) {
        Optional<Inet4Address> carried = carriedIpv4(address);
        InetAddress judged = carried.isPresent() ? carried.get() : address;
        String prefix = carried.isPresent() ? "an IPv6 form of " : "";
        for (Rule r : RULES) {
            if (r.block().contains(judged)) {
                return Optional.of(new Violation(address.getHostAddress(), prefix + r.what(), r.rule()));
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64 or 6to4), if any. */
    static Optional<Inet4Address> carriedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] a = address.getAddress();
        boolean zeros10 = Arrays.equals(a, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros10 && a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        boolean compatible = zeros10 && a[10] == 0 && a[11] == 0 && !isZeroOrOne(a);
        boolean nat64 = Arrays.equals(a, 0, 12, NAT64, 0, 12);
        if (mapped || compatible || nat64) {
            return Optional.of(ipv4(Arrays.copyOfRange(a, 12, 16)));
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return Optional.of(ipv4(Arrays.copyOfRange(a, 2, 6)));
        }
        return Optional.empty();
    }

    /** {@code ::} and {@code ::1} are themselves, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1. */
    private static boolean isZeroOrOne(byte[] a) {
        return a[12] == 0 && a[13] == 0 && a[14] == 0 && (a[15] == 0 || a[15] == 1);
    }

    private static Inet4Address ipv4(byte[] four) {
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static Rule rule(String block, String what, String rule) {
        return new Rule(Cidr.parse(block), what, rule);
    }
}
