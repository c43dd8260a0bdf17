package org.bastion.oauth.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.IssuedAccessToken;

/** Whether an access token Bastion issued has been revoked: the resource server asks on every request. */
@Stateless
public class Revocations {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean revoked(String jti) {
        IssuedAccessToken issued = jti.length() > 64 ? null : em.find(IssuedAccessToken.class, jti);
        return issued != null && issued.revoked();
    }
}
