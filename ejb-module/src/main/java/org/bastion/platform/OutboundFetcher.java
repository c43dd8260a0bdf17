package org.bastion.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The one way Bastion fetches a document another party names (a client's jwks_uri, an external
 * issuer's discovery document and JWKS). Such URLs are untrusted input, so a fetch goes only to
 * https on a public address: the address is checked after DNS, and again on the socket actually
 * connected (so a name that resolves differently the second time gains nothing); no redirects,
 * no proxy, short timeouts, and the body is read up to a cap while streaming. Origins an admin
 * lists in bastion.outbound.allowed.origins are exempt from the address rule and may be plain
 * http (an identity provider on the internal network, a test server on loopback).
 * <p>
 * A refusal says only that the URL could not be used ({@link Refused#getMessage()}); what was
 * wrong (which address answered, what status) goes to the server log, never to the caller.
 */
@ApplicationScoped
public class OutboundFetcher {

    private static final Logger LOG = Logger.getLogger(OutboundFetcher.class.getName());
    static final int CONNECT_TIMEOUT_MS = 3_000;
    static final int READ_TIMEOUT_MS = 5_000;

    @Inject
    BastionSettings settings;

    /** A URL Bastion will not fetch, or whose answer it cannot use; the message is safe to show to the caller. */
    public static class Refused extends IOException {
        private final String detail;

        Refused(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        /** What went wrong, for the server log only. */
        public String detail() {
            return detail;
        }
    }

    /**
     * Whether a URL may be fetched at all, without fetching it (for registration): its scheme, and
     * every address its host resolves to now.
     */
    public void check(String url) throws Refused {
        URI uri = parse(url);
        if (!allowed(uri)) {
            checkAddresses(uri);
        }
    }

    /** GET a JSON document of at most maxBytes. */
    public String getJson(String url, int maxBytes) throws Refused {
        return exchange(url, connection -> {
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            if (status != 200) {
                throw refused(url, "answered HTTP " + status);
            }
            if (connection.getContentLengthLong() > maxBytes) {
                throw refused(url, "announced " + connection.getContentLengthLong() + " bytes, more than " + maxBytes);
            }
            try (InputStream in = connection.getInputStream()) {
                return new String(readAtMost(in, maxBytes, url), StandardCharsets.UTF_8);
            }
        });
    }

    /**
     * Sends a body (or none) to a URL with the same checks as a fetch (a subscription's notification):
     * answers the receiver's HTTP status, having read at most 64 KB of its answer; refused when the
     * URL may not be used or nothing answered.
     */
    public int send(String url, String method, java.util.Map<String, String> headers, String contentType, byte[] body) throws Refused {
        return exchange(url, connection -> {
            connection.setRequestMethod(method);
            headers.forEach(connection::setRequestProperty);
            connection.setDoOutput(true);
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            connection.setFixedLengthStreamingMode(body.length);
            try (java.io.OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readNBytes(64 * 1024);
                }
            }
            return status;
        });
    }

    /** What is done over one connection. */
    private interface Exchange<T> {
        T over(HttpURLConnection connection) throws IOException;
    }

    /** An exchange over a connection to a URL that passed the checks; any failure is a refusal (its detail logged). */
    private <T> T exchange(String url, Exchange<T> exchange) throws Refused {
        try {
            HttpURLConnection connection = open(url);
            try {
                return exchange.over(connection);
            } finally {
                connection.disconnect();
            }
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw refused(url, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * A connection (not yet connected) to a URL that passed the checks: without proxy, redirects or
     * caches, with short timeouts; to a public address only, unless an admin allowed the origin.
     */
    private HttpURLConnection open(String url) throws IOException {
        URI uri = parse(url);
        boolean exempt = allowed(uri);
        if (!exempt) {
            checkAddresses(uri);
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        if (connection instanceof HttpsURLConnection https && !exempt) {
            https.setSSLSocketFactory(new PublicOnly(defaultFactory()));
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        return connection;
    }

    private static byte[] readAtMost(InputStream in, int maxBytes, String url) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            body.write(buffer, 0, n);
            if (body.size() > maxBytes) {
                throw refused(url, "sent more than " + maxBytes + " bytes");
            }
        }
        return body.toByteArray();
    }

    private URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new Refused("'" + url + "' is not a URL", e.getMessage());
        }
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !"https".equalsIgnoreCase(uri.getScheme()) && !("http".equalsIgnoreCase(uri.getScheme()) && allowed(uri))) {
            throw new Refused("'" + url + "' is not an https URL with a host"
                    + ("http".equalsIgnoreCase(uri == null ? null : uri.getScheme()) ? " (plain http only to origins an admin allowed)" : ""),
                    "scheme or host refused");
        }
        return uri;
    }

    private boolean allowed(URI uri) {
        return settings.outboundAllowedOrigins().contains(origin(uri));
    }

    /** scheme://host:port, lower case, with the default port spelled out. */
    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }

    /** The origins of a comma-separated list, normalized as {@link #origin(URI)} does; an entry that is no origin is left out. */
    public static Set<String> origins(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            try {
                URI uri = new URI(s);
                return uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) ? null : origin(uri);
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }).filter(java.util.Objects::nonNull).collect(Collectors.toUnmodifiableSet());
    }

    private static void checkAddresses(URI uri) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw refused(uri.toString(), "host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw refused(uri.toString(), "resolves to non-public address " + address.getHostAddress());
            }
        }
    }

    /** Whether an address is on the public internet: not loopback, private, link-local, multicast, unspecified, shared or reserved. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && first < 224                        // 0/8 this network; 224/4 multicast and 240/4 reserved
                    && !(first == 100 && second >= 64 && second < 128)  // 100.64/10 shared (carrier-grade NAT)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)); // 198.18/15 benchmarking
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !(first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8); // 2001:db8::/32 documentation
        }
        return false;
    }

    private static Refused refused(String url, String detail) {
        LOG.log(Level.WARNING, () -> "Outbound fetch of " + url + " refused: " + detail);
        return new Refused(url + " could not be fetched or used (the server log says why)", detail);
    }

    private static SSLSocketFactory defaultFactory() throws IOException {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    /** Layers TLS only over a socket connected to a public address: the check on the connection itself. */
    private static final class PublicOnly extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        PublicOnly(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket checked(Socket socket) throws IOException {
            InetAddress connected = socket.getInetAddress();
            if (connected == null || !isPublic(connected)) {
                socket.close();
                throw new IOException("connected to non-public address " + (connected == null ? "?" : connected.getHostAddress()));
            }
            return socket;
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return delegate.createSocket(checked(s), host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checked(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return checked(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
