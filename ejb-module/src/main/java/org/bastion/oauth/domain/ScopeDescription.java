package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Locale;

/** An admin-defined description of a scope, shown on the consent page. */
@Entity
@Table(name = "oauth_scope")
public class ScopeDescription {

    @Id
    private String name;

    @Column(name = "description_en", nullable = false)
    private String descriptionEn;

    @Column(name = "description_ja")
    private String descriptionJa;

    protected ScopeDescription() {
    }

    public ScopeDescription(String name, String descriptionEn, String descriptionJa) {
        this.name = name;
        this.descriptionEn = descriptionEn;
        this.descriptionJa = descriptionJa;
    }

    public String name() {
        return name;
    }

    public String description(Locale locale) {
        return "ja".equals(locale.getLanguage()) && descriptionJa != null ? descriptionJa : descriptionEn;
    }
}
