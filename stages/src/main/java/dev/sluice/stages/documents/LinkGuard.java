package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a PDF link (or a redirect hop) may be fetched, and from which address: only http
 * and https; the host is resolved once and every address it resolves to must pass
 * {@link AddressRules} (one internal address among public ones refuses the link, since a client
 * may connect to any of them). The first address is returned so the caller connects to exactly
 * what was checked ({@link PinnedHttp}). The allow-list ({@code pdf.links.allowed.hosts}) exempts
 * host names and CIDR blocks from the address rules, for tests and private deployments; it never
 * exempts a link from the scheme rule.
 */
final class LinkGuard {

    /** Resolves a host name to all its addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver DNS = InetAddress::getAllByName;

    private final Set<String> allowedNames = new HashSet<>();
    private final List<Cidr> allowedBlocks = new ArrayList<>();
    private final Resolver resolver;

    /**
     * @param allowList host names and CIDR blocks ({@code 127.0.0.1/32}, {@code 10.1.0.0/16}, {@code papers.intranet})
     * @throws IllegalArgumentException for an entry that is neither a CIDR block nor a host name
     */
    LinkGuard(List<String> allowList, Resolver resolver) {
        for (String entry : allowList) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || Cidr.literal(e) != null) {
                allowedBlocks.add(Cidr.parse(e));
            } else if (e.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\\.?")) {
                allowedNames.add(name(e));
            } else {
                throw new IllegalArgumentException("'" + e + "' is neither a host name nor an IP address or CIDR block");
            }
        }
        this.resolver = resolver;
    }

    /**
     * The address to fetch {@code uri} from.
     *
     * @throws PermanentStageException {@code refused <uri>: <why> (rule: <rule>)}
     * @throws UnknownHostException when the host does not resolve (retriable: DNS may recover)
     */
    InetAddress vet(URI uri) throws PermanentStageException, UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(uri, "only http and https links are fetched, not '" + scheme + "' (rule: scheme)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(uri, "the link names no host (rule: host)");
        }
        InetAddress literal = Cidr.literal(host);
        InetAddress[] all = literal != null ? new InetAddress[] {literal} : resolver.resolve(host);
        if (all.length == 0) {
            throw new UnknownHostException(host + " resolves to no address");
        }
        boolean nameAllowed = literal == null && allowedNames.contains(name(host));
        for (InetAddress a : all) {
            Optional<AddressRules.Violation> v = nameAllowed || allowed(a) ? Optional.empty() : AddressRules.check(a);
            if (v.isPresent()) {
                throw refused(uri, literal != null ? v.get().toString() : host + " resolves to " + v.get().address()
                        + ", " + v.get().what() + " (rule: " + v.get().rule() + ")");
            }
        }
        return all[0];
    }

    private boolean allowed(InetAddress a) {
        InetAddress carried = AddressRules.carriedIpv4(a).map(InetAddress.class::cast).orElse(a);
        return allowedBlocks.stream().anyMatch(b -> b.contains(a) || b.contains(carried));
    }

    private static String name(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static PermanentStageException refused(URI uri, String why) {
        return new PermanentStageException("refused " + uri + ": " + why);
    }
}
