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
