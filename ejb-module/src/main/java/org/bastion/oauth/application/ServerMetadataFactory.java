package org.bastion.oauth.application;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.langtag.LangTag;
import com.nimbusds.langtag.LangTagException;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.minidev.json.JSONObject;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The authorization server's metadata, served both as OpenID Connect discovery and as
 * RFC 8414 metadata, and the SMART configuration (App Launch 2 §2.1) built from the same facts.
 * It lists only what is implemented.
 */
@ApplicationScoped
public class ServerMetadataFactory {

    static final List<ClientAuthenticationMethod> CLIENT_AUTH = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
            ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    static final List<String> CAPABILITIES = List.of("launch-ehr", "context-ehr-patient", "context-ehr-encounter",
            "context-standalone-patient",
            "launch-standalone", "client-public", "client-confidential-symmetric",
            "client-confidential-asymmetric", "sso-openid-connect", "permission-offline", "permission-online",
            "permission-patient", "permission-user", "permission-v1", "permission-v2", "authorize-post");

    @Inject
    BastionSettings settings;

    @EJB
    ScopeCatalog scopes;

    @EJB
    SigningKeys signingKeys;

    public OIDCProviderMetadata metadata() {
        String issuer = settings.issuer();
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(
                new Issuer(issuer), List.of(SubjectType.PUBLIC), URI.create(issuer + "/jwks"));
        metadata.setAuthorizationEndpointURI(URI.create(issuer + "/authorize"));
        metadata.setTokenEndpointURI(URI.create(issuer + "/token"));
        metadata.setUserInfoEndpointURI(URI.create(issuer + "/userinfo"));
        metadata.setRegistrationEndpointURI(URI.create(issuer + "/register"));
        metadata.setIntrospectionEndpointURI(URI.create(issuer + "/introspect"));
        metadata.setRevocationEndpointURI(URI.create(issuer + "/revoke"));
        metadata.setEndSessionEndpointURI(URI.create(issuer + "/logout"));
        metadata.setResponseTypes(List.of(new ResponseType(ResponseType.Value.CODE)));
        metadata.setResponseModes(List.of(ResponseMode.QUERY));
        metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS, GrantType.JWT_BEARER));
        List<ClientAuthenticationMethod> tokenAuth = new ArrayList<>(CLIENT_AUTH);
        tokenAuth.add(ClientAuthenticationMethod.NONE);
        metadata.setTokenEndpointAuthMethods(tokenAuth);
        metadata.setTokenEndpointJWSAlgs(List.copyOf(AssertionVerifier.ALGORITHMS.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList()));
        metadata.setIntrospectionEndpointAuthMethods(CLIENT_AUTH);
        metadata.setRevocationEndpointAuthMethods(tokenAuth);
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        metadata.setScopes(new Scope(scopes.supported().toArray(String[]::new)));
        metadata.setClaims(List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "fhirUser", "preferred_username", "locale"));
        metadata.setIDTokenJWSAlgs(List.of(signingKeys.signingAlgorithm()));
        metadata.setUILocales(List.of(lang("en"), lang("ja")));
        metadata.setSupportsAuthorizationResponseIssuerParam(true);
        metadata.setSupportsClaimsParams(false);
        metadata.setSupportsRequestParam(false);
        // OpenID Connect Discovery defaults this to true when absent; Bastion takes no request_uri.
        metadata.setSupportsRequestURIParam(false);
        return metadata;
    }

    public String json() {
        JSONObject json = metadata().toJSONObject();
        json.put("prompt_values_supported", List.of("none", "login", "consent"));
        return json.toJSONString();
    }

    /** SMART App Launch 2 §2.1: /.well-known/smart-configuration of the FHIR base. */
    public String smartConfiguration() {
        OIDCProviderMetadata metadata = metadata();
        JSONObject json = new JSONObject();
        json.put("issuer", settings.issuer());
        json.put("jwks_uri", metadata.getJWKSetURI().toString());
        json.put("authorization_endpoint", metadata.getAuthorizationEndpointURI().toString());
        json.put("token_endpoint", metadata.getTokenEndpointURI().toString());
        json.put("userinfo_endpoint", metadata.getUserInfoEndpointURI().toString());
        json.put("registration_endpoint", metadata.getRegistrationEndpointURI().toString());
        json.put("introspection_endpoint", metadata.getIntrospectionEndpointURI().toString());
        json.put("revocation_endpoint", metadata.getRevocationEndpointURI().toString());
        json.put("grant_types_supported", metadata.getGrantTypes().stream().map(GrantType::getValue).toList());
        json.put("response_types_supported", List.of("code"));
        json.put("scopes_supported", metadata.getScopes().toStringList());
        json.put("token_endpoint_auth_methods_supported", metadata.getTokenEndpointAuthMethods().stream().map(ClientAuthenticationMethod::getValue).toList());
        json.put("token_endpoint_auth_signing_alg_values_supported", metadata.getTokenEndpointJWSAlgs().stream().map(JWSAlgorithm::getName).toList());
        json.put("code_challenge_methods_supported", List.of("S256"));
        json.put("capabilities", CAPABILITIES);
        // FHIR Bulk Data Access 2.0 for backend services (client_credentials, private_key_jwt, system/ scopes); not a
        // SMART field: the CapabilityStatement names the operations too
        JSONObject bulk = new JSONObject();
        bulk.put("export", List.of(settings.fhirBase() + "/$export", settings.fhirBase() + "/Patient/$export",
                settings.fhirBase() + "/Group/[id]/$export"));
        bulk.put("import", settings.fhirBase() + "/$import");
        bulk.put("import_upload", settings.fhirBase() + "/$import-upload");
        json.put("bulk_data", bulk);
        return json.toJSONString();
    }

    private static LangTag lang(String tag) {
        try {
            return LangTag.parse(tag);
        } catch (LangTagException e) {
            throw new IllegalStateException(e);
        }
    }
}
