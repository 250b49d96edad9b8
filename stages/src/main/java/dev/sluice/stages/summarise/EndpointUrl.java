package dev.sluice.stages.summarise;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigException;

/**
 * The start-up check of {@code llm.base.url}: an http(s) URL with a host, and https unless the
 * host is this machine ({@code localhost}, 127.0.0.0/8, {@code ::1}) or
 * {@code llm.allow.insecure.http=true}, since every prompt (documents, comments) and the API key
 * travel in it. Names other than {@code localhost} are not resolved: a remote name is remote.
 */
final class EndpointUrl {

    private EndpointUrl() {
    }

    /** @throws ConfigException naming the setting to change */
    static void check(String url, boolean allowInsecureHttp) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(SummariseConfig.BASE_URL_CONFIG, url, "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new ConfigException(SummariseConfig.BASE_URL_CONFIG, url, "must be an https://HOST[:PORT][/PATH] URL");
        }
        if (scheme.equals("http") && !allowInsecureHttp && !isLoopback(uri.getHost())) {
            throw new ConfigException(SummariseConfig.BASE_URL_CONFIG + "=" + url + " would send prompts and the API key"
                    + " unencrypted to " + uri.getHost() + ": use https, or set " + SummariseConfig.ALLOW_INSECURE_HTTP_CONFIG
                    + "=true to accept that (e.g. a model server on a trusted private network)");
        }
    }

    /** Whether {@code host} (as in a URL) is {@code localhost} or a loopback address literal. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        h = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}") && Arrays.stream(h.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean literal = v4 || (h.contains(":") && h.matches("[0-9a-f:.]+"));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
