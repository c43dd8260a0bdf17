-- Private signing keys are stored sealed (AES-256-GCM, base64url, about a third longer than the
-- JWK): room for an imported RSA key of up to 8192 bits.
alter table signing_key alter column private_jwk set data type varchar(16000);
