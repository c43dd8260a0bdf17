package org.bastion.oauth.application;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.util.List;

/**
 * The authorization server's metadata, served both as OpenID Connect discovery and as
 * RFC 8414 metadata. It lists only endpoints that exist.
 */
@ApplicationScoped
public class ServerMetadataFactory {

    @Inject
    BastionSettings settings;

    public OIDCProviderMetadata metadata() {
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(
                new Issuer(settings.issuer()), List.of(SubjectType.PUBLIC), URI.create(settings.issuer() + "/jwks"));
        metadata.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        // OpenID Connect Discovery defaults this to true when absent; Bastion takes no request_uri.
        metadata.setSupportsRequestURIParam(false);
        return metadata;
    }

    public String json() {
        return metadata().toJSONObject().toJSONString();
    }
}
