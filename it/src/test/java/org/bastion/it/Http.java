package org.bastion.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** The request (a 30-second timeout added), its answer as text. */
    static HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer read off the socket: the status code and everything after the header. */
    record Raw(int status, String head, String body) {
    }

    /**
     * A GET whose request target is sent exactly as given (no client encodes it: java.net.URI refuses
     * a raw |), over HTTP/1.0 so that the answer ends with the connection, unchunked.
     */
    static Raw raw(String baseUrl, String target, String... headers) {
        URI base = URI.create(baseUrl);
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.0\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        request.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String[] status = head.split(" ", 3);
            return new Raw(status.length > 1 ? Integer.parseInt(status[1]) : -1, head, end < 0 ? "" : answer.substring(end + 4));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + target + " failed: " + e, e);
        }
    }

    static HttpResponse<String> getWithToken(String url, String token) {
        return get(url, "Authorization", "Bearer " + token);
    }

    /**
     * Bastion serves: its own readiness (not a server's health endpoint answering in its place:
     * Bastion's names its signing key) and both JAX-RS applications, FHIR and the authorization server.
     */
    static boolean bastionReady(String baseUrl) {
        try {
            HttpResponse<String> ready = get(baseUrl + "/health/ready");
            return ready.statusCode() == 200 && ready.body().contains("\"signing-key\"")
                    && get(baseUrl + "/fhir/r4/metadata").statusCode() == 200
                    && get(baseUrl + "/oauth2/jwks").statusCode() == 200;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }
}
