package org.bastion.admin.application;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SweepTest {

    @Test
    void aBatchDeletesAtMostFiveThousandRowsPastTheCutOff() {
        assertEquals("delete from access_token where jti in (select jti from access_token where expires_at < ? fetch first 5000 rows only)",
                Sweep.ACCESS_TOKEN.deleteBatch());
        assertEquals("delete from refresh_token where token_hash in (select token_hash from refresh_token where revoked_at < ? fetch first 5000 rows only)",
                Sweep.REFRESH_TOKEN_REVOKED.deleteBatch());
    }

    @Test
    void aCompositeKeyIsMatchedAsARow() {
        assertEquals("delete from used_assertion where (client_id, jti) in (select client_id, jti from used_assertion where expires_at < ? fetch first 5000 rows only)",
                Sweep.USED_ASSERTION.deleteBatch());
    }

    @Test
    void aRevokedAccessTokenOutlivesTheVerifiersClockSkew() {
        assertEquals(Duration.ofMinutes(5), Sweep.ACCESS_TOKEN.grace());
        assertEquals(Duration.ZERO, Sweep.USED_ASSERTION.grace(), "stored with the skew already added");
        assertEquals(Duration.ofHours(1), Sweep.AUTHORIZATION_CODE.grace());
    }
}
