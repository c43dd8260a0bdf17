package org.bastion.oauth.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientNamesTest {

    @Test
    void skeletonsOfLiteralNames() {
        String[][] table = {
                {"Bastion console", "bastionconsoie"},
                {"Bastion Console", "bastionconsoie"},
                {"\uFF22\uFF21\uFF33\uFF34\uFF29\uFF2F\uFF2E console", "bastionconsoie"},
                {"  Bastion\t\u00A0console ", "bastionconsoie"},
                {"B\u0430sti\u043En console", "bastionconsoie"},
                {"\u0392\u0391STION CONSOLE", "bastionconsoie"},
                {"B\u00E1sti\u00F6n c\u00F6nsole", "bastionconsoie"},
                {"Bast1on conso1e", "bastionconsoie"},
                {"Bas\u200Btion-console", "bastionconsoie"},
                {"Postrnan", "postman"},
                {"Growth Chart", "growthchart"},
                {"成長曲線", "成長曲線"},
        };
        for (String[] row : table) {
            assertEquals(row[1], ClientNames.skeleton(row[0]), row[0]);
        }
    }

    @Test
    void namesOfBuiltInClientsAndTheirLookAlikesAreRefused() {
        for (String name : List.of("Bastion console", "Bastion Console", "\uFF22\uFF21\uFF33\uFF34\uFF29\uFF2F\uFF2E console",
                "B\u0430stion console", "POSTMAN", "Post man", "patient browser (Sample SMART App)")) {
            assertTrue(ClientNames.imitation(name).isPresent(), name);
        }
    }

    @Test
    void anyNameContainingBastionIsRefused() {
        assertEquals("'My Bastion helper' contains 'Bastion'; only Bastion's own clients may use that name",
                ClientNames.imitation("My Bastion helper").orElseThrow());
        assertTrue(ClientNames.imitation("b-a-s-t-i-o-n").isPresent());
    }

    @Test
    void ordinaryNamesAreAccepted() {
        for (String name : List.of("Growth Chart", "IT SMART App", "Sebastian's planner", "Lab feed 42", "成長曲線")) {
            assertEquals(java.util.Optional.empty(), ClientNames.imitation(name), name);
        }
        assertEquals(java.util.Optional.empty(), ClientNames.imitation(null));
    }
}
