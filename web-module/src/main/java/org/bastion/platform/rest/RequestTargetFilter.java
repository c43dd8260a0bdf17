package org.bastion.platform.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The request target as a URI may hold it, whatever the client typed. FHIR token searches are
 * {@code system|code}, and curl, Postman and many libraries send the {@code |} (and {@code [ ] { } ^ "})
 * unencoded; the listeners accept them ({@code allow-unescaped-characters-in-url} on WildFly,
 * Payara as it is), but JAX-RS builds a {@code java.net.URI} of the request, which refuses them.
 * This filter hands the rest of the chain a query string and a path in which each such character
 * is percent-encoded ({@code |} becomes {@code %7C}), and every escape the client sent stays as it
 * was: a search means the same whether its {@code |} was typed or encoded.
 * <p>
 * On WildFly the query string is taken from Undertow's exchange: while unescaped characters are
 * allowed, WildFly 39's Undertow gives the servlet layer the query string already decoded (a
 * {@code %2B} there is a {@code +}, which would then be read as a space; UNDERTOW-2757, fixed in later
 * Undertow releases). The exchange keeps it as it was sent.
 */
@WebFilter(filterName = "RequestTargetFilter", urlPatterns = "/*")
public class RequestTargetFilter extends HttpFilter {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String query = escape(sentQueryString(request), true);
        String uri = escape(request.getRequestURI(), false);
        boolean sameQuery = Objects.equals(query, request.getQueryString());
        boolean sameUri = Objects.equals(uri, request.getRequestURI());
        chain.doFilter(sameQuery && sameUri ? request : new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                return query;
            }

            @Override
            public String getRequestURI() {
                return uri;
            }

            @Override
            public StringBuffer getRequestURL() {
                StringBuffer url = super.getRequestURL();
                String sent = super.getRequestURI();
                int path = url.lastIndexOf(sent);
                return sameUri || path < 0 ? url : url.replace(path, path + sent.length(), uri);
            }
        }, response);
    }

    /**
     * The string with every character a URI's query (or path) may not hold as it is percent-encoded
     * as UTF-8; escapes ({@code %} and two hex digits) and the characters RFC 3986 allows stay as they are.
     * Both servers read a request target's bytes as ISO-8859-1, so a raw UTF-8 {@code é} arrives as
     * the two characters {@code Ã©}: where every character is below U+0100 and, taken as bytes, they
     * are valid UTF-8, each is encoded as its byte ({@code %C3%A9}), else as the character's UTF-8.
     */
    static String escape(String value, boolean query) {
        if (value == null) {
            return null;
        }
        boolean bytes = sentAsUtf8Bytes(value);
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = allowed(c, query) || c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) && hex(value.charAt(i + 2));
            if (allowed) {
                if (escaped != null) {
                    escaped.append(c);
                }
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (bytes && c >= 0x80) {
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)) ? i + 2 : i + 1;
            for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                escaped.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
            i = end - 1;
        }
        return escaped == null ? value : escaped.toString();
    }

    /** Whether the characters are all below U+0100, some above U+007F, and as bytes a valid UTF-8 sequence. */
    private static boolean sentAsUtf8Bytes(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return false;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return false;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** RFC 3986: unreserved, sub-delims, ':' and '@' (pchar), '/' and, in a query, '?'. */
    private static boolean allowed(char c, boolean query) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0 || query && c == '?';
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    // --- the query string as the client sent it ---------------------------------------------------

    private static volatile Method exchangeOf;
    private static volatile Method queryOf;

    /** Undertow's exchange's query string (as sent), else the container's. */
    static String sentQueryString(HttpServletRequest request) {
        ServletRequest container = request;
        while (container instanceof ServletRequestWrapper wrapper) {
            container = wrapper.getRequest();
        }
        if (container.getClass().getName().equals("io.undertow.servlet.spec.HttpServletRequestImpl")) {
            try {
                if (exchangeOf == null) {
                    exchangeOf = container.getClass().getMethod("getExchange");
                }
                Object exchange = exchangeOf.invoke(container);
                if (queryOf == null) {
                    queryOf = exchange.getClass().getMethod("getQueryString");
                }
                String query = (String) queryOf.invoke(exchange);
                return query == null || query.isEmpty() ? null : query;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("Undertow's request has no exchange query string: " + e, e);
            }
        }
        return request.getQueryString();
    }
}
