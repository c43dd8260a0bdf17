package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.smart.domain.SmartScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the consent page says a scope means: the admin's description, else one made from the scope's grammar. */
@ApplicationScoped
public class ScopeDescriptions {

    @EJB
    ScopeCatalog catalog;

    @Inject
    Pages pages;

    public String describe(String scope, Locale locale) {
        Optional<String> admin = catalog.adminDescription(scope, locale);
        if (admin.isPresent()) {
            return admin.get();
        }
        if (ScopeCatalog.STANDARD.contains(scope) || ScopeCatalog.ADMIN.equals(scope)) {
            return pages.message(locale, new Message("scope." + scope));
        }
        return SmartScope.parse(scope).map(s -> smart(s, locale))
                .orElseGet(() -> pages.message(locale, new Message("scope.fallback", scope)));
    }

    private String smart(SmartScope scope, Locale locale) {
        String resource = scope.allResourceTypes() ? pages.message(locale, new Message("scope.smart.all")) : scope.resourceType();
        String action = capitalised(actions(scope, locale), locale);
        String text = pages.message(locale, new Message("scope.smart." + scope.context().name().toLowerCase(Locale.ROOT), resource, action));
        return scope.query() == null ? text : text + " (" + scope.query() + ")";
    }

    private String actions(SmartScope scope, Locale locale) {
        if (scope.v1()) {
            boolean read = scope.permissions().contains(SmartScope.Permission.READ);
            boolean write = scope.permissions().contains(SmartScope.Permission.CREATE);
            return pages.message(locale, new Message(read && write ? "scope.action.all" : read ? "scope.action.read" : "scope.action.write"));
        }
        List<String> words = new ArrayList<>();
        for (SmartScope.Permission permission : scope.permissions()) {
            words.add(pages.message(locale, new Message("scope.action." + Character.toLowerCase(permission.name().charAt(0)))));
        }
        return String.join(pages.message(locale, new Message("scope.action.join")), words);
    }

    private static String capitalised(String text, Locale locale) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(locale) + text.substring(1);
    }
}
